package com.employable.flotilla.registry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.registry.ServerStatus;
import com.employable.flotilla.registry.discovery.ServerDirectory;
import com.employable.flotilla.registry.discovery.ServerEvents;
import com.employable.flotilla.registry.support.Publish;
import com.employable.flotilla.registry.support.RegistryIntegrationTest;
import com.employable.flotilla.registry.support.TeamFront;
import com.employable.flotilla.registry.support.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v1/teams/{teamId}/server} as agents and SREs see it: the entry (status, the app the server runs in, its
 * derived endpoint, machines), the gateway configuration to paste, the version as ETag, and the API's problems.
 */
class TeamServerLookupIT extends RegistryIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    ServerDirectory directory;

    @Autowired
    JsonMapper json;

    @Test
    void anIdleServerInAPoolAppIsShownAsSuchWithItsGatewayConfiguration() throws Exception {
        String team = newTeam("lookup");
        String pool = TeamFront.addresses().poolAppName("q" + team.substring(team.length() - 8) + "z");
        var events = new ServerEvents(team).inApp(pool);
        Publish.events(
                events.provisioned(1, 1, "m1"),
                events.health("m1", HealthStatus.HEALTHY, 2),
                events.machine("m1", "started", "suspended", 30));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> directory
                        .find(team)
                        .map(s -> s.view().status() == ServerStatus.IDLE)
                        .orElse(false));
        long version = directory.find(team).orElseThrow().version();

        HttpResponse<String> answer = get(team, TestTokens.forTeam(team), null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(answer.headers().firstValue("ETag")).hasValue("\"" + version + "\"");
        JsonNode body = json.readTree(answer.body());
        assertThat(body.path("teamId").asString()).isEqualTo(team);
        assertThat(body.path("status").asString()).isEqualTo("idle");
        assertThat(body.path("version").asLong()).isEqualTo(version);
        assertThat(body.path("app").asString()).isEqualTo(pool);
        assertThat(body.path("endpoint").path("url").asString())
                .isEqualTo(TeamFront.addresses().endpointUrlOfApp(pool));
        assertThat(body.path("machines").path(0).path("state").asString()).isEqualTo("suspended");
        assertThat(body.path("machines").path(0).path("health").asString()).isEqualTo("healthy");
        assertThat(body.path("mcpClient").path("url").asString())
                .isEqualTo("http://127.0.0.1:" + port + "/" + team + "/mcp");
        assertThat(body.path("mcpClient").path("auth").path("resourceMetadata").asString())
                .isEqualTo("http://127.0.0.1:" + port + "/.well-known/oauth-protected-resource/" + team + "/mcp");
        assertThat(body.has("failure")).as("absent fields are left out").isFalse();

        HttpResponse<String> unchanged = get(team, TestTokens.forTeam(team), "W/\"" + version + "\"");
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(get(team, TestTokens.admin(), "\"" + (version - 1) + "\"").statusCode())
                .isEqualTo(200);
    }

    @Test
    void theApisProblems() throws Exception {
        String team = newTeam("lookup-problems");

        HttpResponse<String> anonymous = get(team, null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"flotilla-registry\"");
        assertThat(anonymous.body()).contains("problem/authentication-required");
        assertThat(get(team, "not-a-jwt", null).body()).contains("problem/invalid-token");
        assertThat(get(team, TestTokens.forTeam(team), null).body())
                .contains("problem/no-server")
                .contains("\"instance\":\"/v1/teams/" + team + "/server\"");
        assertThat(get("Not_A_Team", TestTokens.admin(), null).statusCode()).isEqualTo(400);
        assertThat(get("Not_A_Team", TestTokens.forTeam(team), null).statusCode())
                .as("another team's id: decided from the token first")
                .isEqualTo(403);

        HttpResponse<String> post = HTTP.send(
                HttpRequest.newBuilder(uri(team))
                        .header("Authorization", "Bearer " + TestTokens.forTeam(team))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(post.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    private HttpResponse<String> get(String team, String token, String ifNoneMatch) throws Exception {
        var request = HttpRequest.newBuilder(uri(team));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String team) {
        return URI.create("http://127.0.0.1:" + port + "/v1/teams/" + team + "/server");
    }
}
