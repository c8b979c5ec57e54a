package com.employable.flotilla.teammcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.teammcp.support.RawHttp;
import com.employable.flotilla.teammcp.support.RunningServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Audit finding 2: the probe token's limits and the session owner were checked only when the request URI was exactly
 * {@code /mcp}, while Tomcat routed {@code //mcp}, {@code /./mcp}, {@code /mcp;x} and friends to the same servlet. A
 * request whose URI is not in canonical form now gets 400 before any servlet or auth decision.
 */
class CanonicalPathIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOOLS_CALL = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
            + "\"params\":{\"name\":\"team_info\",\"arguments\":{}}}";

    private static RunningServer alpha;

    @BeforeAll
    static void start() throws Exception {
        alpha = RunningServer.start("alpha", null, null);
    }

    @AfterAll
    static void stop() {
        if (alpha != null) {
            alpha.close();
        }
    }

    /** Every spelling the audit tried, and their cousins; each one names a path this server serves. */
    static Stream<String> nonCanonicalPaths() {
        return Stream.of(
                "//mcp",
                "///mcp",
                "/./mcp",
                "/x/../mcp",
                "/../mcp",
                "/%2e/mcp",
                "/%2E/mcp",
                "/x/%2e%2e/mcp",
                "/mcp;x",
                "/mcp;jsessionid=0",
                "/;x/mcp",
                "/%2fmcp",
                "/%2Fmcp",
                "/mcp%2f",
                "/MCP",
                "/Mcp",
                "/mcp/",
                "/mcp//",
                "/mcp/.",
                "\\mcp",
                "/%5cmcp",
                "/mcp%5C",
                "/mcp%00",
                "/%6dcp",
                "/alpha//mcp",
                "/alpha/./mcp",
                "/x/../alpha/mcp",
                "/ALPHA/mcp",
                "/alpha/MCP",
                "/alpha/mcp/",
                "/alpha/mcp;x",
                "/alpha%2fmcp",
                "/healthz/",
                "/HEALTHZ",
                "//healthz",
                "/.well-known//oauth-protected-resource/mcp",
                "/.well-known/oauth-protected-resource/MCP");
    }

    @ParameterizedTest
    @MethodSource("nonCanonicalPaths")
    void theProbeTokenRunsNoToolThroughANonCanonicalPath(String path) throws Exception {
        String session = probeSession();

        RawHttp.Response response =
                RawHttp.post(alpha.port(), path, mcpHeaders(alpha.probeToken(), session), TOOLS_CALL);

        assertThat(response.status()).as(path).isEqualTo(400);
        assertThat(response.body()).as(path).doesNotContain("teamId").doesNotContain("agent-007");
        assertProblem(response, path);
    }

    @ParameterizedTest
    @MethodSource("nonCanonicalPaths")
    void aNonCanonicalPathIsRefusedBeforeAnyAuthDecision(String path) throws Exception {
        RawHttp.Response anonymous = RawHttp.post(alpha.port(), path, mcpHeaders(null, null), TOOLS_CALL);
        assertThat(anonymous.status()).as(path).isEqualTo(400);
        assertThat(anonymous.header("WWW-Authenticate")).as(path).isEmpty();
        assertProblem(anonymous, path);

        RawHttp.Response withAgentToken =
                RawHttp.post(alpha.port(), path, mcpHeaders(alpha.gatewayToken(), null), initializeBody());
        assertThat(withAgentToken.status()).as(path).isEqualTo(400);
        assertThat(withAgentToken.header("Mcp-Session-Id")).as(path).isEmpty();
    }

    /** The audit's reproduction, with an ordinary HTTP client: 403 on /mcp, and no longer 200 on //mcp. */
    @Test
    void theProbeTokenCannotCallAToolThroughADoubleSlash() throws Exception {
        String session = probeSession();
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] {"/mcp", "//mcp"}) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(alpha.baseUri() + path))
                    .header("Authorization", "Bearer " + alpha.probeToken())
                    .header("Mcp-Session-Id", session)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(TOOLS_CALL))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo("/mcp".equals(path) ? 403 : 400);
            assertThat(response.body()).as(path).doesNotContain("teamId");
        }
    }

    /** A request target in absolute form is judged by its path like any other. */
    @Test
    void anAbsoluteFormTargetIsJudgedByItsPath() throws Exception {
        String session = probeSession();
        String origin = "http://127.0.0.1:" + alpha.port();

        RawHttp.Response doubleSlash =
                RawHttp.post(alpha.port(), origin + "//mcp", mcpHeaders(alpha.probeToken(), session), TOOLS_CALL);
        assertThat(doubleSlash.status()).isEqualTo(400);
        assertProblem(doubleSlash, "absolute //mcp");

        RawHttp.Response canonical =
                RawHttp.post(alpha.port(), origin + "/mcp", mcpHeaders(alpha.probeToken(), session), TOOLS_CALL);
        assertThat(canonical.status()).isEqualTo(403);
    }

    @Test
    void canonicalPathsStillWork() throws Exception {
        assertThat(RawHttp.get(alpha.port(), "/healthz", Map.of()).status()).isEqualTo(200);
        assertThat(RawHttp.get(alpha.port(), "/.well-known/oauth-protected-resource/mcp", Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(RawHttp.post(alpha.port(), "/mcp", mcpHeaders(alpha.gatewayToken(), null), initializeBody())
                        .status())
                .isEqualTo(200);
        // a query string is not part of the path and stays the servlet's business
        assertThat(RawHttp.get(alpha.port(), "/healthz?probe=1", Map.of()).status())
                .isEqualTo(200);
        // a canonical path that is not served is still an authenticated 404, not a 400
        assertThat(RawHttp.get(alpha.port(), "/admin", Map.of("Authorization", "Bearer " + alpha.gatewayToken()))
                        .status())
                .isEqualTo(404);
    }

    private static void assertProblem(RawHttp.Response response, String path) {
        assertThat(response.header("Content-Type"))
                .as(path)
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).as(path).isEqualTo(400);
        assertThat(problem.path("title").asString()).as(path).isEqualTo("Bad Request");
        assertThat(response.body()).as(path).doesNotContain("Exception").doesNotContain("<html");
    }

    /** A session the probe token opened on the canonical path, as the health-service does. */
    private static String probeSession() throws Exception {
        RawHttp.Response initialized =
                RawHttp.post(alpha.port(), "/mcp", mcpHeaders(alpha.probeToken(), null), initializeBody());
        assertThat(initialized.status()).isEqualTo(200);
        String session = initialized.header("Mcp-Session-Id").orElseThrow();
        RawHttp.Response notified = RawHttp.post(
                alpha.port(),
                "/mcp",
                mcpHeaders(alpha.probeToken(), session),
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        assertThat(notified.status()).isEqualTo(202);
        return session;
    }

    private static Map<String, String> mcpHeaders(String token, String session) {
        var headers = new LinkedHashMap<String, String>();
        headers.put("Accept", "application/json, text/event-stream");
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (session != null) {
            headers.put("Mcp-Session-Id", session);
            headers.put("MCP-Protocol-Version", "2025-11-25");
        }
        return headers;
    }

    static String initializeBody() {
        return """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",
                 "capabilities":{},"clientInfo":{"name":"raw-http","version":"1"}}}""";
    }
}
