package com.employable.flotilla.registry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.auth.TeamCredentials;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.registry.discovery.ServerDirectory;
import com.employable.flotilla.registry.discovery.ServerEvents;
import com.employable.flotilla.registry.support.Publish;
import com.employable.flotilla.registry.support.RegistryIntegrationTest;
import com.employable.flotilla.registry.support.TeamFront;
import com.employable.flotilla.registry.support.TestTokens;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A real MCP client (the official SDK) reaches a real team server (team-mcp-server's jar, configured as the
 * provisioner configures it) only through the gateway: the agent presents employable's token, the gateway swaps it
 * for a short-lived token signed with that team's derived key, and the team server accepts only that.
 */
class GatewayIT extends RegistryIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Process teamServer;
    private static String team;
    private static int teamPort;

    @LocalServerPort
    int port;

    @Autowired
    ServerDirectory directory;

    @BeforeAll
    static void startTeamServer() throws Exception {
        team = newTeam("gw");
        Path jar = Path.of(
                System.getProperty("flotilla.team-server.jar", "../team-mcp-server/target/team-mcp-server.jar"));
        assertThat(jar).as("build team-mcp-server first").exists();
        try (ServerSocket socket = new ServerSocket(0)) {
            teamPort = socket.getLocalPort();
        }
        Path log = Files.createDirectories(Path.of("target", "team-servers")).resolve(team + ".log");
        var builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        jar.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment()
                .putAll(Map.of(
                        "FLOTILLA_TEAM_ID",
                        team,
                        "PORT",
                        Integer.toString(teamPort),
                        "FLOTILLA_BIND",
                        "127.0.0.1",
                        // what the provisioner sets: the team's own key, derived from the gateway key it shares with us
                        "FLOTILLA_TEAM_TOKEN_KEY",
                        TeamCredentials.teamTokenKey(gatewayKey(), team)));
        teamServer = builder.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            try {
                return HTTP.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + teamPort + "/healthz"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    @AfterAll
    static void stopTeamServer() {
        if (teamServer != null) {
            teamServer.destroy();
        }
    }

    private void registerReadyTeam() {
        // the team's derived endpoint is on the test's stand-in for Fly's proxy, which reaches the team server
        TeamFront.route(team, TeamFront.proxyTo(teamPort));
        var events = new ServerEvents(team);
        Publish.events(events.provisioned(1, 1, "m1"), events.health("m1", HealthStatus.HEALTHY, 2));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> directory
                        .find(team)
                        .map(server -> "READY".equals(server.view().status().name()))
                        .orElse(false));
    }

    private McpSyncClient client(String token) {
        var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                .endpoint("/" + team + "/mcp")
                .httpRequestCustomizer(
                        (request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
                .build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void anAgentReachesItsTeamsServerThroughTheGatewayWithASwappedToken() {
        registerReadyTeam();
        try (McpSyncClient agent = client(TestTokens.forTeam(team))) {
            agent.initialize();
            List<String> tools =
                    agent.listTools().tools().stream().map(Tool::name).toList();
            assertThat(tools).contains("team_info", "notes_add");
            var info = agent.callTool(new CallToolRequest("team_info", Map.of()));
            String text = info.content().stream()
                    .filter(TextContent.class::isInstance)
                    .map(content -> ((TextContent) content).text())
                    .reduce("", String::concat);
            // the team server saw a gateway token for this team, not employable's token
            assertThat(text).contains("\"teamId\":\"" + team + "\"").contains("\"kind\":\"gateway\"");
        }
    }

    @Test
    void anotherTeamsTokenAndNoTokenNeverReachTheServer() throws Exception {
        registerReadyTeam();
        String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
        HttpResponse<String> foreign = post(TestTokens.forTeam("someone-else"), initialize);
        assertThat(foreign.statusCode()).isEqualTo(403);
        HttpResponse<String> anonymous = post(null, initialize);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElse(""))
                .contains("resource_metadata");
        // and the server itself refuses employable's token: only the gateway's swapped token opens it
        HttpResponse<String> direct = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + teamPort + "/mcp"))
                        .header("Authorization", "Bearer " + TestTokens.forTeam(team))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(initialize))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(direct.statusCode()).isEqualTo(401);
    }

    /** What the audit tried and what held on abb78f9: kept as a test so it keeps holding. */
    @Test
    void forgedExpiredOrForeignTokensAreRefusedAtTheGateway() throws Exception {
        registerReadyTeam();
        String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
        String valid = TestTokens.forTeam(team);
        String[] parts = valid.split("\\.");
        String unsigned = Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + ".";
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put(
                "expired",
                TestTokens.builder()
                        .team(team)
                        .expiresAt(Instant.now().minusSeconds(120))
                        .sign());
        refused.put("alg none", unsigned);
        refused.put("signature stripped", parts[0] + "." + parts[1] + ".");
        refused.put(
                "another key",
                TestTokens.builder()
                        .team(team)
                        .secret("a-different-secret-that-is-long-enough-too")
                        .sign());
        refused.put(
                "another issuer",
                TestTokens.builder()
                        .team(team)
                        .issuer("https://evil.example/auth/v1")
                        .sign());
        refused.put(
                "another audience",
                TestTokens.builder().team(team).audience("someone-else").sign());
        refused.put("no team claim", TestTokens.builder().sign());
        refused.put(
                "team in another case",
                TestTokens.builder().team(team.toUpperCase(Locale.ROOT)).sign());
        for (var token : refused.entrySet()) {
            assertThat(post(token.getValue(), initialize).statusCode())
                    .as(token.getKey())
                    .isIn(401, 403);
        }
    }

    private HttpResponse<String> post(String token, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + team + "/mcp"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
