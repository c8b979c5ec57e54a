package com.employable.flotilla.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.health.support.HungServer;
import com.employable.flotilla.health.support.PlainHttpServer;
import com.employable.flotilla.health.support.ProbeKeys;
import com.employable.flotilla.health.support.SdkMcpServer;
import com.employable.flotilla.health.targets.ProbeTarget;
import com.employable.flotilla.health.targets.TargetKey;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every probe must do against real servers on loopback: an MCP server built with the SDK's server classes, and
 * servers that are not MCP, hung, closed, redirecting or oversized. Each failure lands in its kind with a detail
 * naming the step. Run for each probe by its subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProbeContract {

    /** Generous timeouts: the first probes of a cold JVM load and compile the SDK. */
    static final ProbeProperties PROPERTIES = new ProbeProperties(
            ProbeProperties.Method.TOOLS_LIST,
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(2),
            64 * 1024,
            2,
            16,
            ProbeProperties.Client.STREAMABLE_HTTP);

    static final ProbeProperties IMPATIENT = new ProbeProperties(
            ProbeProperties.Method.TOOLS_LIST,
            Duration.ofSeconds(2),
            Duration.ofMillis(800),
            Duration.ofMillis(800),
            Duration.ofSeconds(2),
            64 * 1024,
            2,
            16,
            ProbeProperties.Client.STREAMABLE_HTTP);

    ExecutorService executor;

    Prober probe;

    Prober impatient;

    SdkMcpServer server;

    final String team = "probe-it-" + UUID.randomUUID().toString().substring(0, 8);

    /** The probe under test with these settings, its threads from {@code executor}. */
    abstract Prober create(ExecutorService executor, ProbeProperties properties);

    @BeforeAll
    void start() {
        executor = Executors.newFixedThreadPool(16);
        probe = create(executor, PROPERTIES);
        impatient = create(executor, IMPATIENT);
        server = SdkMcpServer.start(null);
    }

    @AfterAll
    void stop() {
        server.close();
        executor.shutdownNow();
    }

    @Test
    void aHealthyServerAnswersInitializeAndToolsListAndTheSessionIsClosed() {
        server.expectToken(ProbeKeys.SERVICE.tokenFor(team));
        int deletesBefore = server.deletes();

        ProbeResult result = run(server.endpoint(team));

        assertThat(result.failure()).isNull();
        assertThat(result.protocolVersion()).isEqualTo("2025-11-25");
        assertThat(result.toolCount()).isEqualTo(1);
        assertThat(server.lastForceInstance())
                .as("through Fly's proxy, the probe names its machine")
                .isEqualTo("m-" + team);
        assertThat(server.deletes())
                .as("the probe session is closed with DELETE")
                .isEqualTo(deletesBefore + 1);
    }

    @Test
    void aProbeStraightToItsMachineNamesNoMachineForAProxy() {
        server.expectToken(ProbeKeys.SERVICE.tokenFor(team));

        ProbeResult result = run(probe, server.endpoint(team), false);

        assertThat(result.failure()).isNull();
        assertThat(server.lastForceInstance()).isNull();
    }

    @Test
    void controlCharactersAServerSendsNeverReachTheDetail() {
        String hostile =
                "tools\\r\\nERROR forged log line\\u0085next\\u2028line\\u202eesrever\\u001b[2J\\u0000end\\u200b";
        try (PlainHttpServer liar = PlainHttpServer.echoing(
                200, "application/json", (authorization, request) -> jsonRpcError(request, hostile))) {
            ProbeResult result = run(liar.endpoint(team));

            assertThat(result.failure().kind()).isEqualTo(FailureKind.PROTOCOL);
            assertThat(result.failure().detail())
                    .contains("tools", "ERROR forged log line", "next", "line", "esrever", "[2J", "end")
                    .doesNotContainPattern("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");
        }
    }

    @Test
    void aTokenDerivedFromAnotherKeyIsAuth() {
        server.expectToken(ProbeKeys.OTHER.tokenFor(team));

        ProbeResult result = run(server.endpoint(team));

        assertThat(result.failure().kind()).isEqualTo(FailureKind.AUTH);
        assertThat(result.failure().detail()).isEqualTo("initialize: probe token refused (HTTP 401)");
    }

    @Test
    void aClosedPortIsConnect() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ProbeResult result = run("http://127.0.0.1:" + closedPort + "/mcp");

        assertThat(result.failure().kind()).isEqualTo(FailureKind.CONNECT);
        assertThat(result.failure().detail()).isEqualTo("initialize: connection refused");
    }

    @Test
    void aServerThatAcceptsButNeverAnswersIsTimeoutAndItsConnectionIsNotLeaked() {
        try (HungServer hung = HungServer.start()) {
            ProbeResult result = run(impatient, hung.endpoint(team));

            assertThat(result.failure().kind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(result.failure().detail()).isEqualTo("initialize timed out after 800 ms");
            assertThat(result.latencyMs()).isGreaterThanOrEqualTo(800);
            await().atMost(Duration.ofSeconds(10)).until(() -> hung.stillOpen() == 0);
        }
    }

    @Test
    void anHttpServerThatIsNotMcpIsProtocol() {
        try (PlainHttpServer web = PlainHttpServer.answering(200, "text/html", "<html>hello</html>")) {
            ProbeResult result = run(web.endpoint(team));

            assertThat(result.failure().kind()).isEqualTo(FailureKind.PROTOCOL);
            assertThat(result.failure().detail()).startsWith("initialize: ");
        }
    }

    @Test
    void jsonThatIsNotJsonRpcIsProtocol() {
        try (PlainHttpServer api = PlainHttpServer.answering(200, "application/json", "{\"status\":\"ok\"}")) {
            ProbeResult result = run(api.endpoint(team));

            assertThat(result.failure().kind()).isEqualTo(FailureKind.PROTOCOL);
        }
    }

    @Test
    void anErrorStatusIsHttp() {
        try (PlainHttpServer down = PlainHttpServer.answering(503, "text/plain", "upstream unavailable")) {
            ProbeResult result = run(down.endpoint(team));

            assertThat(result.failure().kind()).isEqualTo(FailureKind.HTTP);
            assertThat(result.failure().detail()).isEqualTo("initialize: HTTP 503");
        }
    }

    @Test
    void aRedirectIsNotFollowed() {
        try (PlainHttpServer elsewhere = PlainHttpServer.answering(200, "application/json", "{}");
                PlainHttpServer redirecting = PlainHttpServer.answering(
                        307, null, new byte[0], Map.of("Location", elsewhere.endpoint(team)))) {
            ProbeResult result = run(redirecting.endpoint(team));

            assertThat(result.failure().kind()).isEqualTo(FailureKind.HTTP);
            assertThat(result.failure().detail()).isEqualTo("initialize: HTTP 307 (redirects are not followed)");
            assertThat(elsewhere.requests()).isEmpty();
        }
    }

    @Test
    void anOversizedAnswerIsRefused() {
        String huge = "{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{\"padding\":\"" + "x".repeat(200_000) + "\"}}";
        try (PlainHttpServer big = PlainHttpServer.answering(200, "application/json", huge)) {
            ProbeResult result = run(big.endpoint(team));

            assertThat(result.failure().kind()).isEqualTo(FailureKind.PROTOCOL);
            assertThat(result.failure().detail()).isEqualTo("initialize: response larger than the probe accepts");
        }
    }

    @Test
    void aServerEchoingTheProbeTokenInItsJsonRpcErrorNeverGetsItIntoTheDetail() {
        String token = ProbeKeys.SERVICE.tokenFor(team);
        // long enough that a cut at the detail's size would fall inside the token if it were cut before redaction
        try (PlainHttpServer echo = PlainHttpServer.echoing(
                200,
                "application/json",
                (authorization, request) -> jsonRpcError(
                        request,
                        "x".repeat(200) + ": refused '" + authorization + "', raw "
                                + authorization.substring("Bearer ".length())))) {
            ProbeResult result = run(echo.endpoint(team));

            assertThat(echo.authorizations()).as("the probe sent its token").contains("Bearer " + token);
            assertThat(result.failure().kind()).isEqualTo(FailureKind.PROTOCOL);
            assertThat(result.failure().detail())
                    .startsWith("initialize: ")
                    .contains("-32600")
                    .contains("xxxxx")
                    .doesNotContain(token, token.substring(0, 8))
                    .hasSizeLessThanOrEqualTo(243);
        }
        try (PlainHttpServer echo = PlainHttpServer.echoing(
                200,
                "application/json",
                (authorization, request) -> jsonRpcError(
                        request,
                        "refused '" + authorization + "' raw " + authorization.substring("Bearer ".length())))) {
            ProbeResult result = run(echo.endpoint(team));

            assertThat(result.failure().detail())
                    .contains("refused 'Bearer ***' raw ***")
                    .doesNotContain(token);
        }
    }

    @Test
    void aServerQuotingTheProbeTokenInAnAnswerThatIsNotMcpNeverGetsItIntoTheDetail() {
        String token = ProbeKeys.SERVICE.tokenFor(team);
        try (PlainHttpServer echo = PlainHttpServer.echoing(
                200,
                "application/json",
                (authorization, request) -> authorization.substring("Bearer ".length()) + " " + authorization)) {
            ProbeResult result = run(echo.endpoint(team));

            assertThat(result.failure()).isNotNull();
            assertThat(result.failure().detail()).startsWith("initialize").doesNotContain(token);
        }
        try (PlainHttpServer echo = PlainHttpServer.echoing(
                200,
                "text/event-stream",
                (authorization, request) ->
                        "data: " + authorization + "\n\ndata: {\"token\":\"" + authorization + "\"\n\n")) {
            ProbeResult result = run(echo.endpoint(team));

            assertThat(result.failure()).isNotNull();
            assertThat(result.failure().detail()).startsWith("initialize").doesNotContain(token);
        }
    }

    /** A JSON-RPC error answering the request (whatever id the probe chose), with this message. */
    private static String jsonRpcError(String request, String message) {
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\"[^\"]*\"|\\d+)").matcher(request);
        return "{\"jsonrpc\":\"2.0\",\"id\":" + (id.find() ? id.group(1) : "1")
                + ",\"error\":{\"code\":-32600,\"message\":\"" + message.replace("\"", "'") + "\"}}";
    }

    @Test
    void aSlowServerStillSucceedsWithItsLatency() {
        server.expectToken(ProbeKeys.SERVICE.tokenFor(team));
        server.latency(150);
        try {
            ProbeResult result = run(server.endpoint(team));

            assertThat(result.failure()).isNull();
            assertThat(result.latencyMs()).isGreaterThanOrEqualTo(300);
        } finally {
            server.latency(0);
        }
    }

    private ProbeResult run(String endpoint) {
        return run(probe, endpoint);
    }

    private ProbeResult run(Prober probe, String endpoint) {
        return run(probe, endpoint, true);
    }

    private ProbeResult run(Prober probe, String endpoint, boolean throughProxy) {
        try {
            return probe.probe(new ProbeTarget(new TargetKey(team, "m-" + team), URI.create(endpoint), 1, throughProxy))
                    .get(20, TimeUnit.SECONDS);
        } catch (Exception failure) {
            throw new AssertionError("the probe must complete with a result", failure);
        }
    }
}
