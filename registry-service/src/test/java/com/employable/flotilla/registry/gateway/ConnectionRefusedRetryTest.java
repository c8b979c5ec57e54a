package com.employable.flotilla.registry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.registry.auth.Agent;
import com.employable.flotilla.registry.auth.TeamTokens;
import com.employable.flotilla.registry.support.RegistryIntegrationTest;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

/**
 * Finding 8, the other side: a refused connection proves the team server saw nothing (not one byte was written), so
 * the gateway keeps trying to wake the server while it is not there, and the POST reaches it exactly once when it
 * is up.
 */
class ConnectionRefusedRetryTest {

    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor();

    private HttpServer server;

    @AfterEach
    void stop() {
        executor.shutdownNow();
        deadlines.shutdownNow();
        if (server != null) {
            server.stop(0);
        }
    }

    /**
     * @param believedAsleep whether the registry believes the server asleep (then the gateway's wake request meets the
     * refused connections) or started (then the POST itself does)
     */
    @ParameterizedTest(name = "believed asleep: {0}")
    @ValueSource(booleans = {true, false})
    void aPostWhoseConnectionWasRefusedIsSentOnceTheServerListens(boolean believedAsleep) throws Exception {
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> received = new CopyOnWriteArrayList<>();
        var properties = new GatewayProperties(
                GatewayProperties.Mode.PROXY,
                RegistryIntegrationTest.GATEWAY_KEY,
                GatewayProperties.Upstream.URL,
                Duration.ofMinutes(5),
                Duration.ofSeconds(10),
                "healthz",
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                Duration.ofSeconds(3),
                DataSize.ofKilobytes(64),
                Duration.ofSeconds(2),
                Duration.ofMinutes(1),
                4,
                2,
                Duration.ofHours(1),
                100,
                List.of(),
                "fly-force-instance-id");
        var http = UpstreamClient.create(Duration.ofSeconds(2));
        var meters = new SimpleMeterRegistry();
        var proxy = new McpProxy(
                http,
                executor,
                deadlines,
                new TeamTokens(RegistryIntegrationTest.gatewayKey(), Duration.ofMinutes(5), Clock.systemUTC()),
                null,
                properties,
                new GatewayMetrics(meters));
        var route = new Route(
                "waking",
                "flotilla-team-waking",
                URI.create("http://127.0.0.1:" + port + "/mcp"),
                URI.create("http://127.0.0.1:" + port + "/healthz"),
                null,
                null,
                believedAsleep);
        var request = new MockHttpServletRequest("POST", "/waking/mcp");
        request.setAsyncSupported(true);
        var response = new MockHttpServletResponse();
        var async = request.startAsync(request, response);
        var limits = new TeamLimits(4, 2, Duration.ofSeconds(3));

        var exchange = proxy.open(
                request,
                response,
                async,
                route,
                new Agent("agent-1", "waking", false),
                Map.of(),
                limits.acquire("waking", false));
        exchange.start("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}".getBytes(StandardCharsets.UTF_8));
        // the server comes up only after the gateway has met a refused connection (and backed off) at least once
        await().atMost(Duration.ofSeconds(5))
                .until(() -> meters.counter("flotilla.gateway.wake.retries").count() >= 1);
        assertThat(request.isAsyncStarted()).as("still waiting for the server").isTrue();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 10);
        server.createContext("/mcp", http1 -> {
            received.add(new String(http1.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            http1.sendResponseHeaders(200, body.length);
            http1.getResponseBody().write(body);
            http1.close();
        });
        server.createContext("/healthz", health -> {
            health.sendResponseHeaders(200, -1);
            health.close();
        });
        server.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> !request.isAsyncStarted());
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("{\"ok\":true}");
        assertThat(received).singleElement().asString().contains("tools/call");
        assertThat(limits.inFlight("waking")).as("the slot is given back").isZero();
    }
}
