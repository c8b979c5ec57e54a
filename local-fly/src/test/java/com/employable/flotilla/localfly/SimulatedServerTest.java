package com.employable.flotilla.localfly;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.localfly.runtime.SimulatedLatencies;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated machine has no process, yet answers MCP through the proxy and over the private network (so runs with
 * thousands of them reach ready), and a fault on the path to one app's machines breaks that app's server alone.
 */
class SimulatedServerTest {

    @TempDir
    static Path dataDir;

    private static LocalFly fly;
    private static FlyClient client;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        fly = LocalFly.start(LocalFlyConfig.simulated(dataDir).withSimulated(SimulatedLatencies.fast()));
        client = new FlyClient(fly.apiUrl(), fly.token());
    }

    @AfterAll
    static void stop() {
        fly.close();
    }

    private static String startedMachine(String app) {
        client.post("/v1/apps", "{\"app_name\":\"" + app + "\",\"org_slug\":\"personal\",\"network\":\"" + app + "\"}");
        String id = client.post(
                        "/v1/apps/" + app + "/machines",
                        "{\"region\":\"iad\",\"config\":{\"image\":\"registry.fly.io/team:1\",\"services\":[{"
                                + "\"protocol\":\"tcp\",\"internal_port\":8080,\"autostart\":true}]}}")
                .body()
                .path("id")
                .asString();
        assertThat(client.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=started&timeout=60")
                        .status())
                .isEqualTo(200);
        return id;
    }

    private static HttpResponse<String> mcp(String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(fly.proxyUrl() + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSimulatedMachineAnswersMcpThroughTheProxyAndThePrivateNetwork() throws Exception {
        String app = "simulated-mcp";
        String id = startedMachine(app);

        HttpResponse<String> init = mcp(
                "/" + app + "/mcp",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}}");
        assertThat(init.statusCode()).isEqualTo(200);
        assertThat(init.headers().firstValue("Mcp-Session-Id")).isPresent();
        assertThat(init.headers().firstValue("fly-machine-id")).hasValue(id);
        assertThat(init.body()).contains("\"protocolVersion\":\"2025-06-18\"");
        assertThat(mcp("/" + app + "/mcp", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                        .statusCode())
                .isEqualTo(202);
        assertThat(mcp("/_6pn/" + app + "/" + id + "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}")
                        .body())
                .contains("\"id\":2")
                .contains("\"tools\":[{\"name\":\"team_info\"");
    }

    @Test
    void aFaultOnTheProxiedPathBreaksOneAppsServerAndNothingElse() throws Exception {
        String broken = "simulated-broken";
        String fine = "simulated-fine";
        String brokenId = startedMachine(broken);
        startedMachine(fine);
        client.post(
                "/_admin/faults",
                "{\"path\":\"/_proxy/(_6pn/)?" + broken + "/.*\",\"kind\":\"status\",\"status\":500}");
        try {
            String ping = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}";
            assertThat(mcp("/" + broken + "/mcp", ping).statusCode()).isEqualTo(500);
            assertThat(mcp("/_6pn/" + broken + "/" + brokenId + "/mcp", ping).statusCode())
                    .isEqualTo(500);
            assertThat(mcp("/" + fine + "/mcp", ping).statusCode()).isEqualTo(200);
            assertThat(client.get("/v1/apps/" + broken + "/machines").status())
                    .as("the Machines API is not in the proxied path")
                    .isEqualTo(200);
        } finally {
            client.delete("/_admin/faults");
        }
    }
}
