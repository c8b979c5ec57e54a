package com.employable.flotilla.teammcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.teammcp.support.RawHttp;
import com.employable.flotilla.teammcp.support.RunningServer;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Audit finding 9: in fly-replay mode the gateway answers {@code fly-replay: app=<team app>} for
 * {@code /<team>/mcp}, and Fly replays that very request (path included, and the agent's own employable token) to the
 * team's machine. The team server serves its own team's path as the MCP endpoint, with the same auth, limits and
 * session ownership as {@code /mcp}; another team's path is not served.
 */
class FlyReplayPathIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ISSUER = "https://auth.employable.test/auth/v1";
    private static final String AUDIENCE = "authenticated";
    private static final String TOOLS_CALL = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\","
            + "\"params\":{\"name\":\"team_info\",\"arguments\":{}}}";

    private static RSAKey signingKey;
    private static HttpServer jwks;
    private static RunningServer alpha;

    @BeforeAll
    static void start() throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("employable-1").generate();
        byte[] keySet = new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/auth/v1/.well-known/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, keySet.length);
            exchange.getResponseBody().write(keySet);
            exchange.close();
        });
        jwks.start();
        alpha = RunningServer.start(
                "alpha",
                null,
                null,
                Map.of(
                        ServerConfig.JWT_JWKS_URL,
                                "http://127.0.0.1:" + jwks.getAddress().getPort() + "/auth/v1/.well-known/jwks.json",
                        ServerConfig.JWT_ISSUER, ISSUER,
                        ServerConfig.JWT_AUDIENCE, AUDIENCE));
    }

    @AfterAll
    static void stop() {
        if (alpha != null) {
            alpha.close();
        }
        if (jwks != null) {
            jwks.stop(0);
        }
    }

    @Test
    void anAgentsOwnTokenWorksOnTheTeamsGatewayPath() throws Exception {
        try (McpSyncClient client = alpha.client(employableToken("user-42", "alpha"), "/alpha/mcp")) {
            client.initialize();
            assertThat(client.listTools().tools()).isNotEmpty();
            JsonNode info = structured(client.callTool(new CallToolRequest("team_info", Map.of())));
            assertThat(info.path("teamId").asString()).isEqualTo("alpha");
            assertThat(info.path("caller").path("subject").asString()).isEqualTo("user-42");
        }
    }

    @Test
    void bothPathsServeTheSameServer() {
        for (String endpoint : List.of("/mcp", "/alpha/mcp")) {
            try (McpSyncClient client = alpha.client(alpha.gatewayToken(), endpoint)) {
                client.initialize();
                JsonNode info = structured(client.callTool(new CallToolRequest("team_info", Map.of())));
                assertThat(info.path("caller").path("subject").asString())
                        .as(endpoint)
                        .isEqualTo("agent-007");
            }
        }
    }

    @Test
    void theProbeTokensLimitsHoldOnTheTeamsPath() throws Exception {
        try (McpSyncClient probe = alpha.client(alpha.probeToken(), "/alpha/mcp")) {
            probe.initialize();
            probe.ping();
            assertThat(probe.listTools().tools()).isNotEmpty();
            assertThatThrownBy(() -> probe.callTool(new CallToolRequest("team_info", Map.of())))
                    .isInstanceOf(McpHttpClientTransportAuthorizationException.class);
        }
        RawHttp.Response refused =
                RawHttp.post(alpha.port(), "/alpha/mcp", headers(alpha.probeToken(), null), TOOLS_CALL);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).path("id").asInt()).isEqualTo(5);
    }

    @Test
    void aSessionBelongsToItsOwnerOnEitherPath() throws Exception {
        RawHttp.Response opened = RawHttp.post(
                alpha.port(),
                "/alpha/mcp",
                headers(employableToken("user-42", "alpha"), null),
                CanonicalPathIT.initializeBody());
        assertThat(opened.status()).isEqualTo(200);
        String session = opened.header("Mcp-Session-Id").orElseThrow();
        for (String path : List.of("/mcp", "/alpha/mcp")) {
            RawHttp.Response someoneElse =
                    RawHttp.post(alpha.port(), path, headers(employableToken("user-99", "alpha"), session), TOOLS_CALL);
            assertThat(someoneElse.status()).as(path).isEqualTo(404);
            assertThat(someoneElse.body()).as(path).doesNotContain("teamId");
        }
    }

    @Test
    void anotherTeamsPathIsNotServed() throws Exception {
        // a valid token of this team on another team's path: that path does not exist here
        RawHttp.Response otherPath = RawHttp.post(
                alpha.port(),
                "/beta/mcp",
                headers(employableToken("user-42", "alpha"), null),
                CanonicalPathIT.initializeBody());
        assertThat(otherPath.status()).isEqualTo(404);
        assertThat(otherPath.header("Mcp-Session-Id")).isEmpty();
        // another team's token, on its own path or on this team's: refused before anything is routed
        for (String path : List.of("/beta/mcp", "/alpha/mcp", "/mcp")) {
            RawHttp.Response betaToken = RawHttp.post(
                    alpha.port(),
                    path,
                    headers(employableToken("user-7", "beta"), null),
                    CanonicalPathIT.initializeBody());
            assertThat(betaToken.status()).as(path).isEqualTo(403);
        }
        assertThat(RawHttp.post(alpha.port(), "/beta/mcp", headers(null, null), CanonicalPathIT.initializeBody())
                        .status())
                .isEqualTo(401);
    }

    private static JsonNode structured(CallToolResult result) {
        assertThat(result.isError()).as("tool error: %s", result.content()).isFalse();
        return JSON.valueToTree(result.structuredContent());
    }

    /** employable's own token (Supabase asymmetric signing keys), as an agent presents it to the gateway. */
    private static String employableToken(String subject, String team) throws Exception {
        var claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .claim("app_metadata", Map.of("team_id", team))
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .build();
        var jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(signingKey.getKeyID())
                        .build(),
                claims);
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
    }

    private static Map<String, String> headers(String token, String session) {
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
}
