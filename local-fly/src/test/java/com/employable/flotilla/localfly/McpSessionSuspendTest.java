package com.employable.flotilla.localfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real team server as a machine of the process runtime, reached through the Fly-Proxy emulation with the
 * official MCP client: a session opened before a suspend goes on after the resume, without a new initialize; after a
 * stop (a cold boot) the same session is gone, which is what the resume spares agents.
 */
class McpSessionSuspendTest {

    private static final String JAR_PROPERTY = "flotilla.team-server.jar";
    private static final String REQUIRE_PROPERTY = "flotilla.require-tools";

    @TempDir
    Path dataDir;

    private LocalFly fly;

    @AfterEach
    void close() {
        if (fly != null) {
            fly.close();
        }
    }

    @Test
    void anMcpSessionOpenedBeforeASuspendContinuesAfterTheResume() throws Exception {
        fly = LocalFly.start(LocalFlyConfig.simulated(dataDir).withRuntime("process", Optional.of(jar()), null));
        fly.rateLimits().enabled(false);
        FlyClient api = new FlyClient(fly.apiUrl(), fly.token());
        String app = "team-" + System.nanoTime() % 100000;
        String probeToken = token(24);
        api.post("/v1/apps", "{\"app_name\":\"" + app + "\",\"org_slug\":\"personal\",\"network\":\"" + app + "\"}");
        String id = api.post(
                        "/v1/apps/" + app + "/machines",
                        "{\"region\":\"iad\",\"config\":{\"image\":\"registry.fly.io/team-mcp-server:1\",\"env\":{"
                                + "\"FLOTILLA_TEAM_ID\":\"" + app + "\",\"FLOTILLA_TEAM_TOKEN_KEY\":\"" + token(32)
                                + "\",\"FLOTILLA_PROBE_TOKEN\":\"" + probeToken + "\",\"FLOTILLA_RESOURCE_URL\":\""
                                + fly.proxyUrl() + "/" + app + "/mcp\"},"
                                + "\"services\":[{\"protocol\":\"tcp\",\"internal_port\":8080,"
                                + "\"autostart\":true,\"autostop\":\"suspend\"}]}}")
                .body()
                .path("id")
                .asString();
        awaitState(api, app, id, "started");
        AtomicInteger initializes = new AtomicInteger();

        try (McpSyncClient agent = client(app, probeToken, initializes)) {
            agent.initialize();
            List<String> before = toolNames(agent);
            assertThat(before).isNotEmpty();

            action(api, app, id, "suspend");
            awaitState(api, app, id, "suspended");
            long began = System.nanoTime();
            action(api, app, id, "start");
            awaitState(api, app, id, "started");
            List<String> after = toolNames(agent);
            long resumedMillis = (System.nanoTime() - began) / 1_000_000;

            assertThat(after).isEqualTo(before);
            assertThat(initializes)
                    .as("the session went on: no second initialize")
                    .hasValue(1);
            System.out.printf("team server resume to first tools/list on the old session: %d ms%n", resumedMillis);

            action(api, app, id, "stop");
            awaitState(api, app, id, "stopped");
            began = System.nanoTime();
            action(api, app, id, "start");
            awaitState(api, app, id, "started");
            System.out.printf(
                    "team server cold boot from stopped to started: %d ms%n", (System.nanoTime() - began) / 1_000_000);
            Throwable lost = catchThrowable(agent::listTools);
            assertThat(lost != null || initializes.get() > 1)
                    .as("after a cold boot the old session is unknown to the server")
                    .isTrue();
        }
    }

    private McpSyncClient client(String app, String token, AtomicInteger initializes) {
        var transport = HttpClientStreamableHttpTransport.builder(fly.proxyUrl())
                .endpoint("/" + app + "/mcp")
                .httpRequestCustomizer((request, method, uri, body, context) -> {
                    if (body != null && body.contains("\"method\":\"initialize\"")) {
                        initializes.incrementAndGet();
                    }
                    request.header("Authorization", "Bearer " + token);
                })
                .build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build();
    }

    private static List<String> toolNames(McpSyncClient agent) {
        return agent.listTools().tools().stream().map(Tool::name).sorted().toList();
    }

    private static void action(FlyClient api, String app, String id, String action) {
        FlyClient.Reply reply = api.post("/v1/apps/" + app + "/machines/" + id + "/" + action, null);
        assertThat(reply.status()).as(action + ": " + reply.body()).isEqualTo(200);
    }

    private static void awaitState(FlyClient api, String app, String id, String state) {
        FlyClient.Reply reply = api.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=" + state + "&timeout=60");
        assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(200);
    }

    /** base64url without padding, as the team server reads its keys. */
    private static String token(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The team server's jar, or a skipped test when it is not built (a failure with -Dflotilla.require-tools). */
    private static Path jar() {
        Path jar = Path.of(System.getProperty(JAR_PROPERTY, "../team-mcp-server/target/team-mcp-server.jar"));
        if (!Files.isRegularFile(jar)) {
            String message =
                    "team-mcp-server jar not found at " + jar.toAbsolutePath().normalize()
                            + ": build it (./mvnw -pl team-mcp-server package -DskipTests) or set -D" + JAR_PROPERTY;
            if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message);
        }
        return jar.toAbsolutePath();
    }
}
