package com.employable.flotilla.teammcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.teammcp.auth.CheckTokens;
import com.employable.flotilla.teammcp.support.RawHttp;
import com.employable.flotilla.teammcp.support.RunningServer;
import com.employable.flotilla.teammcp.support.Tokens;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /healthz/mcp}, what Fly's machine check asks for: the server speaks MCP with itself over loopback
 * (initialize, tools/list with its probe token) and answers 200 with a one-line summary or 503 with the failure. Only
 * the check's own token (derived from the probe token) opens it, and it opens nothing else.
 */
class McpSelfCheckIT {

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

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static String checkToken(RunningServer server) {
        return CheckTokens.derive(server.probeToken());
    }

    @Test
    void theCheckTokenGetsAnMcpLevelSummaryOfTheServersOwnConversation() throws Exception {
        RawHttp.Response answer = RawHttp.get(alpha.port(), "/healthz/mcp", bearer(checkToken(alpha)));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.header("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(answer.header("Cache-Control")).hasValue("no-store");
        assertThat(answer.body())
                .matches("MCP ok: initialize \\+ tools/list: 6 tools, protocol 2025-11-25, in \\d+ ms\n");
    }

    @Test
    void concurrentChecksAreAllAnsweredWithoutPilingConversationsUp() {
        var answers = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        return RawHttp.get(alpha.port(), "/healthz/mcp", bearer(checkToken(alpha)));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }))
                .toList();

        assertThat(answers)
                .allSatisfy(answer -> assertThat(answer.join().status()).isEqualTo(200));
    }

    @Test
    void withoutTheCheckTokenItIsRefusedWithTheUsualChallenge() throws Exception {
        RawHttp.Response anonymous = RawHttp.get(alpha.port(), "/healthz/mcp", Map.of());
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate"))
                .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer resource_metadata="));
        assertThat(anonymous.body()).contains("\"status\":401").doesNotContain("MCP ok");

        // the probe token, a gateway token and the check token of another probe token open nothing here
        for (String other : new String[] {
            alpha.probeToken(),
            alpha.gatewayToken(),
            CheckTokens.derive("probe-" + Tokens.base64Url(Tokens.newTeamKey()))
        }) {
            RawHttp.Response refused = RawHttp.get(alpha.port(), "/healthz/mcp", bearer(other));
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.body()).contains("not this server's check token").doesNotContain(other);
        }
    }

    @Test
    void theCheckTokenOpensNothingButTheSelfCheck() throws Exception {
        RawHttp.Response mcp = RawHttp.post(
                alpha.port(),
                "/mcp",
                Map.of("Authorization", "Bearer " + checkToken(alpha), "Accept", "application/json, text/event-stream"),
                CanonicalPathIT.initializeBody());
        assertThat(mcp.status()).isEqualTo(401);
        RawHttp.Response post = RawHttp.post(alpha.port(), "/healthz/mcp", bearer(checkToken(alpha)), "{}");
        assertThat(post.status()).isEqualTo(405);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/healthz/mcp/", "/healthz//mcp", "/healthz/./mcp", "/HEALTHZ/mcp", "/healthz/MCP"})
    void onlyTheCanonicalSpellingIsServed(String path) throws Exception {
        RawHttp.Response answer = RawHttp.get(alpha.port(), path, bearer(checkToken(alpha)));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("canonical form");
    }

    @Test
    void aServerThatCannotAnswerMcpOnItsOwnAddressFailsWithTheReasonAndNoSecret() throws Exception {
        // Host validation (DNS-rebinding protection) refuses loopback here: the MCP endpoint does not serve the check
        try (RunningServer misconfigured =
                RunningServer.start("alpha", null, null, Map.of(ServerConfig.ALLOWED_HOSTS, "alpha.example:443"))) {
            RawHttp.Response answer =
                    RawHttp.get(misconfigured.port(), "/healthz/mcp", bearer(checkToken(misconfigured)));

            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.body())
                    .startsWith("MCP self-check failed (")
                    .contains("initialize: HTTP 4")
                    .doesNotContain(misconfigured.probeToken())
                    .doesNotContain(checkToken(misconfigured));
            assertThat(answer.body().strip()).doesNotContain("\n").doesNotContain("\r");
        }
    }

    @Test
    void withoutAProbeTokenNoCheckTokenIsAccepted() throws Exception {
        var env = new HashMap<String, String>();
        env.put(ServerConfig.PROBE_TOKEN, "");
        try (RunningServer noProbe = RunningServer.start("alpha", null, null, env)) {
            RawHttp.Response answer = RawHttp.get(
                    noProbe.port(), "/healthz/mcp", bearer(CheckTokens.derive("a-probe-token-it-does-not-hold")));
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.body()).contains("no check token is accepted without a probe token");
        }
    }

    @Test
    void duringAProbeKeyRotationTheCheckTokensOfBothProbeTokensAreAccepted() throws Exception {
        String previous = "probe-old-" + Tokens.base64Url(Tokens.newTeamKey());
        try (RunningServer rotating =
                RunningServer.start("alpha", null, null, Map.of(ServerConfig.PROBE_TOKEN_PREVIOUS, previous))) {
            assertThat(RawHttp.get(rotating.port(), "/healthz/mcp", bearer(CheckTokens.derive(previous)))
                            .status())
                    .isEqualTo(200);
            assertThat(RawHttp.get(rotating.port(), "/healthz/mcp", bearer(checkToken(rotating)))
                            .status())
                    .isEqualTo(200);
        }
    }

    /** The provisioner's MachineSpecTest holds the same vector: both sides derive the same token. */
    @Test
    void theCheckTokenIsTheDocumentedDerivation() {
        assertThat(CheckTokens.derive("probe-token-vector-0123456789"))
                .isEqualTo("dLS-ecp14B3EeJKQ4fPsBNc_JJZD8hbOBFe-v7NsT4Y");
    }
}
