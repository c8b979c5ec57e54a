package com.employable.flotilla.teammcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.teammcp.support.RawHttp;
import com.employable.flotilla.teammcp.support.RunningServer;
import com.employable.flotilla.teammcp.support.Tokens;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rotating the gateway key or the probe key changes the team's token key and probe token. While the provisioner
 * rolls the new secrets out, the gateway and the health-service may still present the old ones: the team server
 * accepts both as long as {@code FLOTILLA_TEAM_TOKEN_KEY_PREVIOUS} / {@code FLOTILLA_PROBE_TOKEN_PREVIOUS} are set,
 * and only the new ones once they are unset.
 */
class KeyRotationIT {

    private final byte[] oldKey = Tokens.newTeamKey();
    private final byte[] newKey = Tokens.newTeamKey();
    private final String oldProbe = "probe-old-" + Tokens.base64Url(Tokens.newTeamKey());
    private final String newProbe = "probe-new-" + Tokens.base64Url(Tokens.newTeamKey());

    @Test
    void duringARotationTheOldAndTheNewCredentialsAreBothAdmitted() throws Exception {
        var env = current();
        env.put(ServerConfig.TEAM_TOKEN_KEY_PREVIOUS, Tokens.base64Url(oldKey));
        env.put(ServerConfig.PROBE_TOKEN_PREVIOUS, oldProbe);
        try (RunningServer server = RunningServer.start("alpha", null, null, env)) {
            for (byte[] key : List.of(oldKey, newKey)) {
                assertAgentAdmitted(server, Tokens.gatewayToken(key, "alpha"));
            }
            for (String probe : List.of(oldProbe, newProbe)) {
                assertProbeAdmittedWithItsLimits(server, probe);
            }
            assertRefused(server, Tokens.gatewayToken(Tokens.newTeamKey(), "alpha"));
            assertRefused(server, "probe-unknown-" + Tokens.base64Url(Tokens.newTeamKey()));

            // a session opened with a token of the old key stays its agent's when the gateway switches keys
            RawHttp.Response opened = RawHttp.post(
                    server.port(),
                    "/mcp",
                    headers(Tokens.gatewayToken(oldKey, "alpha"), null),
                    CanonicalPathIT.initializeBody());
            String session = opened.header("Mcp-Session-Id").orElseThrow();
            RawHttp.Response continued = RawHttp.post(
                    server.port(),
                    "/mcp",
                    headers(Tokens.gatewayToken(newKey, "alpha"), session),
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}");
            assertThat(continued.status()).isEqualTo(200);
        }
    }

    private static Map<String, String> headers(String token, String session) {
        var headers = new HashMap<String, String>();
        headers.put("Authorization", "Bearer " + token);
        headers.put("Accept", "application/json, text/event-stream");
        if (session != null) {
            headers.put("Mcp-Session-Id", session);
            headers.put("MCP-Protocol-Version", "2025-11-25");
        }
        return headers;
    }

    @Test
    void onceThePreviousIsUnsetOnlyTheNewCredentialsAreAdmitted() throws Exception {
        try (RunningServer server = RunningServer.start("alpha", null, null, current())) {
            assertAgentAdmitted(server, Tokens.gatewayToken(newKey, "alpha"));
            assertProbeAdmittedWithItsLimits(server, newProbe);
            assertRefused(server, Tokens.gatewayToken(oldKey, "alpha"));
            assertRefused(server, oldProbe);
        }
    }

    private Map<String, String> current() {
        var env = new HashMap<String, String>();
        env.put(ServerConfig.TEAM_TOKEN_KEY, Tokens.base64Url(newKey));
        env.put(ServerConfig.PROBE_TOKEN, newProbe);
        return env;
    }

    private static void assertAgentAdmitted(RunningServer server, String token) {
        try (McpSyncClient client = server.client(token)) {
            client.initialize();
            assertThat(client.callTool(new CallToolRequest("team_info", Map.of()))
                            .isError())
                    .isFalse();
        }
    }

    private static void assertProbeAdmittedWithItsLimits(RunningServer server, String probe) {
        try (McpSyncClient client = server.client(probe)) {
            client.initialize();
            assertThat(client.listTools().tools()).isNotEmpty();
            assertThatThrownBy(() -> client.callTool(new CallToolRequest("team_info", Map.of())))
                    .isInstanceOf(McpHttpClientTransportAuthorizationException.class);
        }
    }

    private static void assertRefused(RunningServer server, String token) throws Exception {
        RawHttp.Response response =
                RawHttp.post(server.port(), "/mcp", headers(token, null), CanonicalPathIT.initializeBody());
        assertThat(response.status()).isEqualTo(401);
    }
}
