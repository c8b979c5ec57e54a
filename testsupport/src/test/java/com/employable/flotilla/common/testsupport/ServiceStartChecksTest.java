package com.employable.flotilla.common.testsupport;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The checks pass on a service that keeps actuator on its management port, and fail on one that does not. */
class ServiceStartChecksTest {

    private static final Map<String, String> HEALTHY_MANAGEMENT = Map.of(
            "/actuator/health/readiness",
            "{\"status\":\"UP\"}",
            "/actuator/health/liveness",
            "{\"status\":\"UP\"}",
            "/actuator/prometheus",
            "# TYPE jvm_memory_used_bytes gauge\njvm_memory_used_bytes{area=\"heap\"} 1.0\n");

    private HttpServer management;

    private HttpServer api;

    @AfterEach
    void stop() {
        for (HttpServer server : new HttpServer[] {management, api}) {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    @Test
    void passesWhenActuatorIsOnlyOnTheManagementPort() {
        management = serving(HEALTHY_MANAGEMENT, false);
        api = serving(Map.of(), false);
        ServiceStartChecks checks = new ServiceStartChecks(port(api), port(management));

        assertThatCode(checks::assertReadyWithPrometheusMetrics).doesNotThrowAnyException();
        assertThatCode(() -> checks.assertNoActuatorOnTheApiPort("Bearer some-token"))
                .doesNotThrowAnyException();
    }

    @Test
    void failsWhenTheServiceIsNotReady() {
        management = serving(
                Map.of(
                        "/actuator/health/readiness",
                        "{\"status\":\"OUT_OF_SERVICE\"}",
                        "/actuator/health/liveness",
                        "{\"status\":\"UP\"}"),
                false);
        ServiceStartChecks checks = new ServiceStartChecks(port(management) + 1, port(management));

        assertThatThrownBy(checks::assertReadyWithPrometheusMetrics)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("UP");
    }

    @Test
    void failsWhenThePrometheusEndpointHasNoJvmMetrics() {
        management = serving(
                Map.of(
                        "/actuator/health/readiness",
                        "{\"status\":\"UP\"}",
                        "/actuator/health/liveness",
                        "{\"status\":\"UP\"}",
                        "/actuator/prometheus",
                        "# nothing\n"),
                false);
        ServiceStartChecks checks = new ServiceStartChecks(port(management) + 1, port(management));

        assertThatThrownBy(checks::assertReadyWithPrometheusMetrics)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("jvm_memory_used_bytes");
    }

    @Test
    void failsWhenManagementSharesTheApiPort() {
        management = serving(HEALTHY_MANAGEMENT, false);
        ServiceStartChecks checks = new ServiceStartChecks(port(management), port(management));

        assertThatThrownBy(checks::assertReadyWithPrometheusMetrics)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("management port");
    }

    @Test
    void failsWhenTheApiPortServesActuator() {
        management = serving(HEALTHY_MANAGEMENT, false);
        api = serving(Map.of("/actuator/env", "{}"), false);
        ServiceStartChecks checks = new ServiceStartChecks(port(api), port(management));

        assertThatThrownBy(checks::assertNoActuatorOnTheApiPort)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("/actuator/env");
    }

    @Test
    void failsWhenTheApiPortServesActuatorToACallerWithCredentials() {
        management = serving(HEALTHY_MANAGEMENT, false);
        api = serving(HEALTHY_MANAGEMENT, true);
        ServiceStartChecks checks = new ServiceStartChecks(port(api), port(management));

        assertThatCode(checks::assertNoActuatorOnTheApiPort).doesNotThrowAnyException();
        assertThatThrownBy(() -> checks.assertNoActuatorOnTheApiPort("Bearer operator-token"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("with credentials");
    }

    /** Answers 200 with the body given for the path (only to callers with credentials, if asked), else 404. */
    private static HttpServer serving(Map<String, String> bodies, boolean onlyWithCredentials) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                String body = bodies.get(exchange.getRequestURI().getPath());
                boolean allowed =
                        !onlyWithCredentials || exchange.getRequestHeaders().containsKey("Authorization");
                respond(exchange, body != null && allowed ? 200 : 404, body != null && allowed ? body : "");
            });
            server.start();
            return server;
        } catch (IOException failure) {
            throw new IllegalStateException(failure);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static int port(HttpServer server) {
        return server.getAddress().getPort();
    }
}
