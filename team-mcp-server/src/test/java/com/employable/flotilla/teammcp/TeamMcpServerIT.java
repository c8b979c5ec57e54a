package com.employable.flotilla.teammcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.teammcp.support.RunningServer;
import com.employable.flotilla.teammcp.support.TeamDatabase;
import com.employable.flotilla.teammcp.support.TeamDatabase.TeamRole;
import com.employable.flotilla.teammcp.support.Tokens;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two teams' servers on one real PostgreSQL, driven by the official MCP client and by raw HTTP where the client would
 * hide the status line.
 */
class TeamMcpServerIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TeamDatabase database;
    private static TeamRole alphaRole;
    private static TeamRole betaRole;
    private static RunningServer alpha;
    private static RunningServer beta;

    @BeforeAll
    static void startTeams() throws Exception {
        database = TeamDatabase.create();
        alphaRole = database.ensureRole("alpha");
        betaRole = database.ensureRole("beta");
        alpha = RunningServer.start("alpha", database, alphaRole);
        beta = RunningServer.start("beta", database, betaRole);
    }

    @AfterAll
    static void stopTeams() {
        if (alpha != null) {
            alpha.close();
        }
        if (beta != null) {
            beta.close();
        }
    }

    @Test
    void agentWithItsTeamsTokenUsesEveryTool() throws Exception {
        try (McpSyncClient client = alpha.client(alpha.gatewayToken())) {
            var initialized = client.initialize();
            assertThat(initialized.protocolVersion()).isEqualTo("2025-11-25");
            assertThat(initialized.serverInfo().name()).isEqualTo("flotilla-team-mcp-server");

            List<String> tools =
                    client.listTools().tools().stream().map(Tool::name).toList();
            assertThat(tools)
                    .containsExactlyInAnyOrder(
                            "team_info", "notes_add", "notes_get", "notes_list", "notes_search", "notes_delete");

            JsonNode info = structured(client.callTool(new CallToolRequest("team_info", Map.of())));
            assertThat(info.path("teamId").asString()).isEqualTo("alpha");
            assertThat(info.path("fly").path("region").asString()).isEqualTo("iad");
            assertThat(info.path("caller").path("subject").asString()).isEqualTo("agent-007");

            JsonNode added = structured(client.callTool(new CallToolRequest(
                    "notes_add",
                    Map.of("title", "Deploy checklist", "body", "Rotate the staging certificates before Friday"))));
            String id = added.path("note").path("id").asString();
            assertThat(id).isNotBlank();

            JsonNode found =
                    structured(client.callTool(new CallToolRequest("notes_search", Map.of("query", "certif"))));
            assertThat(found.toString()).contains(id);

            JsonNode listed = structured(client.callTool(new CallToolRequest("notes_list", Map.of())));
            assertThat(listed.toString()).contains("Deploy checklist");

            CallToolResult deleted = client.callTool(new CallToolRequest("notes_delete", Map.of("id", id)));
            assertThat(deleted.isError()).isFalse();
            CallToolResult again = client.callTool(new CallToolRequest("notes_get", Map.of("id", id)));
            assertThat(again.isError()).isTrue();
        }
    }

    @Test
    void invalidToolInputIsAToolErrorTheAgentCanRead() {
        try (McpSyncClient client = alpha.client(alpha.gatewayToken())) {
            client.initialize();
            CallToolResult result = client.callTool(new CallToolRequest("notes_add", Map.of("title", "")));
            assertThat(result.isError()).isTrue();
            assertThat(text(result)).containsIgnoringCase("title");

            CallToolResult tooLong =
                    client.callTool(new CallToolRequest("notes_add", Map.of("title", "x".repeat(10_000))));
            assertThat(tooLong.isError()).isTrue();
        }
    }

    @Test
    void oneTeamNeverSeesAnotherTeamsNotes() throws Exception {
        try (McpSyncClient alphaClient = alpha.client(alpha.gatewayToken());
                McpSyncClient betaClient = beta.client(beta.gatewayToken())) {
            alphaClient.initialize();
            betaClient.initialize();
            alphaClient.callTool(new CallToolRequest("notes_add", Map.of("title", "alpha secret plan zebra")));

            JsonNode betaSearch =
                    structured(betaClient.callTool(new CallToolRequest("notes_search", Map.of("query", "zebra"))));
            assertThat(betaSearch.toString()).doesNotContain("alpha secret plan");
        }
        // the database enforces it, not only the server: beta's role cannot read or write alpha's rows
        try (Connection asBeta = database.connectAs(betaRole)) {
            try (ResultSet rows = asBeta.createStatement()
                    .executeQuery("select count(*) from flotilla_team.note where team_id = 'alpha'")) {
                rows.next();
                assertThat(rows.getLong(1)).isZero();
            }
            assertThatThrownBy(() -> asBeta.createStatement()
                            .execute("insert into flotilla_team.note (team_id, title) values ('alpha', 'forged')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("row-level security");
            assertThatThrownBy(() -> asBeta.createStatement().executeQuery("select * from flotilla_team.team_role"))
                    .isInstanceOf(SQLException.class);
        }
        try (Connection asAdmin = database.connectAsAdmin();
                ResultSet rows = asAdmin.createStatement()
                        .executeQuery("select count(*) from flotilla_team.note where team_id = 'alpha'")) {
            rows.next();
            assertThat(rows.getLong(1)).isPositive();
        }
    }

    @Test
    void noToolInputReachesAnotherTeamsNotes() throws Exception {
        String alphaNote;
        try (McpSyncClient alphaClient = alpha.client(alpha.gatewayToken())) {
            alphaClient.initialize();
            alphaNote = structured(alphaClient.callTool(
                            new CallToolRequest("notes_add", Map.of("title", "alpha only: the launch code is 4711"))))
                    .path("note")
                    .path("id")
                    .asString();
        }
        try (McpSyncClient betaClient = beta.client(beta.gatewayToken())) {
            betaClient.initialize();
            // beta knows alpha's note id: get and delete still cannot touch it
            assertThat(betaClient
                            .callTool(new CallToolRequest("notes_get", Map.of("id", alphaNote)))
                            .isError())
                    .isTrue();
            betaClient.callTool(new CallToolRequest("notes_delete", Map.of("id", alphaNote)));
            for (String hostile : List.of(
                    "' or '1'='1",
                    "4711' or team_id <> 'beta",
                    "%' ; delete from flotilla_team.note; --",
                    "launch | code & !x",
                    "\\x00",
                    "alpha")) {
                CallToolResult found =
                        betaClient.callTool(new CallToolRequest("notes_search", Map.of("query", hostile)));
                // the answer may echo the query's terms, never alpha's note
                assertThat(text(found)).as(hostile).doesNotContain(alphaNote).doesNotContain("the launch code");
                CallToolResult listed =
                        betaClient.callTool(new CallToolRequest("notes_list", Map.of("cursor", hostile)));
                assertThat(text(listed)).as(hostile).doesNotContain(alphaNote).doesNotContain("the launch code");
            }
            JsonNode counted = structured(betaClient.callTool(new CallToolRequest("notes_list", Map.of())));
            assertThat(counted.toString()).doesNotContain(alphaNote);
        }
        try (McpSyncClient alphaClient = alpha.client(alpha.gatewayToken())) {
            alphaClient.initialize();
            assertThat(alphaClient
                            .callTool(new CallToolRequest("notes_get", Map.of("id", alphaNote)))
                            .isError())
                    .as("alpha's note survived everything beta tried")
                    .isFalse();
        }
    }

    @Test
    void aRoleCannotBeBoundToASecondTeam() throws Exception {
        try (Connection admin = database.connectAsAdmin()) {
            var rebind = admin.prepareStatement("select flotilla_team.ensure_team_role('beta', ?, ?)");
            rebind.setString(1, alphaRole.name());
            rebind.setString(2, "another-long-enough-password-123");
            assertThatThrownBy(rebind::execute).hasMessageContaining("bound to another team");
        }
    }

    @Test
    void droppingATeamRoleRemovesItsNotesAndLogins() throws Exception {
        TeamRole gamma = database.ensureRole("gamma");
        try (RunningServer server = RunningServer.start("gamma", database, gamma);
                McpSyncClient client = server.client(server.gatewayToken())) {
            client.initialize();
            client.callTool(new CallToolRequest("notes_add", Map.of("title", "short lived")));
        }
        database.dropRole(gamma);
        assertThatThrownBy(() -> database.connectAs(gamma).close()).isInstanceOf(SQLException.class);
        try (Connection admin = database.connectAsAdmin();
                ResultSet rows = admin.createStatement()
                        .executeQuery("select count(*) from flotilla_team.note where team_id = 'gamma'")) {
            rows.next();
            assertThat(rows.getLong(1)).isZero();
        }
        database.dropRole(gamma); // idempotent
    }

    @Test
    void missingTokenGetsTheOAuthChallengeAndMetadata() throws Exception {
        HttpResponse<String> response = post(alpha.mcpUri(), null, initializeBody(), Map.of());
        assertThat(response.statusCode()).isEqualTo(401);
        String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(challenge)
                .startsWith("Bearer resource_metadata=\"")
                .contains("/.well-known/oauth-protected-resource/mcp");
        assertThat(JSON.readTree(response.body()).path("error").path("code").asInt())
                .isEqualTo(-32001);

        HttpResponse<String> metadata = HTTP.send(
                HttpRequest.newBuilder(alpha.baseUri().resolve("/.well-known/oauth-protected-resource/mcp"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(metadata.body()).path("resource").asString()).endsWith("/mcp");

        HttpResponse<String> health = HTTP.send(
                HttpRequest.newBuilder(alpha.baseUri().resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void tokensThatAreNotThisTeamsAreRefused() throws Exception {
        // signed with another team's key: not a valid token here at all
        assertThat(post(alpha.mcpUri(), beta.gatewayToken(), initializeBody(), Map.of())
                        .statusCode())
                .isEqualTo(401);
        // expired
        String expired = Tokens.gatewayToken(
                alpha.teamKey(), "alpha", "flotilla-team:alpha", Instant.now().minusSeconds(120));
        assertThat(post(alpha.mcpUri(), expired, initializeBody(), Map.of()).statusCode())
                .isEqualTo(401);
        // this team's key but minted for another team's audience: a valid token of another team
        String wrongAudience = Tokens.gatewayToken(
                alpha.teamKey(), "alpha", "flotilla-team:beta", Instant.now().plusSeconds(120));
        assertThat(post(alpha.mcpUri(), wrongAudience, initializeBody(), Map.of())
                        .statusCode())
                .isEqualTo(403);
        // a lifetime beyond what the gateway may mint
        String longLived = Tokens.gatewayToken(
                alpha.teamKey(), "alpha", "flotilla-team:alpha", Instant.now().plusSeconds(3600));
        assertThat(post(alpha.mcpUri(), longLived, initializeBody(), Map.of()).statusCode())
                .isEqualTo(401);
        // valid signature, another team's claim
        String otherTeam = Tokens.gatewayToken(
                alpha.teamKey(), "beta", "flotilla-team:alpha", Instant.now().plusSeconds(120));
        HttpResponse<String> forbidden = post(alpha.mcpUri(), otherTeam, initializeBody(), Map.of());
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).doesNotContain("stackTrace");
        // garbage
        assertThat(post(alpha.mcpUri(), "not-a-jwt", initializeBody(), Map.of()).statusCode())
                .isEqualTo(401);
    }

    @Test
    void probeTokenMayOnlyInitializePingAndListTools() throws Exception {
        try (McpSyncClient probe = alpha.client(alpha.probeToken())) {
            probe.initialize();
            probe.ping();
            assertThat(probe.listTools().tools()).isNotEmpty();
            // the SDK client reports 401 and 403 alike as an authorization error
            assertThatThrownBy(() -> probe.callTool(new CallToolRequest("team_info", Map.of())))
                    .isInstanceOf(McpHttpClientTransportAuthorizationException.class);
        }
        HttpResponse<String> refused = post(
                alpha.mcpUri(),
                alpha.probeToken(),
                "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"team_info\"}}",
                Map.of());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).path("id").asInt()).isEqualTo(9);
        // and alpha's probe token opens nothing on beta's server
        assertThat(post(beta.mcpUri(), alpha.probeToken(), initializeBody(), Map.of())
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void unsupportedProtocolVersionAndForeignOriginAreRefusedWithJsonBodies() throws Exception {
        HttpResponse<String> version = post(
                alpha.mcpUri(), alpha.gatewayToken(), initializeBody(), Map.of("MCP-Protocol-Version", "1999-01-01"));
        assertThat(version.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(version.body()).path("error").path("message").asString())
                .contains("Unsupported MCP-Protocol-Version");

        HttpResponse<String> origin =
                post(alpha.mcpUri(), alpha.gatewayToken(), initializeBody(), Map.of("Origin", "https://evil.example"));
        assertThat(origin.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(origin.body()).has("error")).isTrue();
    }

    @Test
    void transportErrorsNeverCarryStackTraces() throws Exception {
        HttpResponse<String> unknownSession = post(
                alpha.mcpUri(),
                alpha.gatewayToken(),
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
                Map.of("Mcp-Session-Id", "no-such-session"));
        assertThat(unknownSession.statusCode()).isEqualTo(404);
        assertThat(unknownSession.body()).doesNotContain("stackTrace").contains("\"jsonrpc\":\"2.0\"");

        HttpResponse<String> badJson = post(alpha.mcpUri(), alpha.gatewayToken(), "{not json", Map.of());
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(badJson.body()).doesNotContain("stackTrace").doesNotContain("Exception");

        HttpResponse<String> unknownPath = HTTP.send(
                HttpRequest.newBuilder(alpha.baseUri().resolve("/admin"))
                        .header("Authorization", "Bearer " + alpha.gatewayToken())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(unknownPath.headers().firstValue("Content-Type").orElse("")).contains("json");
    }

    @Test
    void httpSessionsAreNeitherIssuedNorHonoured() throws Exception {
        // MCP sessions are the SDK's (Mcp-Session-Id); Tomcat's cookie sessions are switched off (NoSessionsManager)
        HttpResponse<String> response = post(
                alpha.mcpUri(),
                alpha.gatewayToken(),
                initializeBody(),
                Map.of("Cookie", "JSESSIONID=0123456789ABCDEF0123456789ABCDEF"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Mcp-Session-Id")).isPresent();
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void aServerWithoutADatabaseStillAnswersAndSaysNotesAreUnavailable() throws Exception {
        try (RunningServer lonely = RunningServer.start("lonely", null, null);
                McpSyncClient client = lonely.client(lonely.gatewayToken())) {
            client.initialize();
            JsonNode info = structured(client.callTool(new CallToolRequest("team_info", Map.of())));
            assertThat(info.path("notes").path("available").asBoolean()).isFalse();
            CallToolResult notes = client.callTool(new CallToolRequest("notes_list", Map.of()));
            assertThat(notes.isError()).isTrue();
        }
    }

    private static JsonNode structured(CallToolResult result) {
        assertThat(result.isError()).as("tool error: %s", text(result)).isFalse();
        return JSON.valueToTree(result.structuredContent());
    }

    private static String text(CallToolResult result) {
        return result.content().stream()
                .filter(TextContent.class::isInstance)
                .map(c -> ((TextContent) c).text())
                .reduce("", String::concat);
    }

    private static String initializeBody() {
        return """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",
                 "capabilities":{},"clientInfo":{"name":"raw-http","version":"1"}}}""";
    }

    private static HttpResponse<String> post(URI uri, String token, String body, Map<String, String> headers)
            throws Exception {
        var request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
