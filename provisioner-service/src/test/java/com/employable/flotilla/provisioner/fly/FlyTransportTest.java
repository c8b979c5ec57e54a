package com.employable.flotilla.provisioner.fly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.provisioner.fly.FlyModel.CreateMachineRequest;
import com.employable.flotilla.provisioner.fly.FlyModel.MachineConfig;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport against a scripted HTTP server: which failures are retried, which never are, how Fly's error
 * bodies surface, and that a call reaches Fly only as its documented rate allows.
 */
class FlyTransportTest {

    private record Answer(int status, String body) {}

    private HttpServer server;
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
    private final List<String> audited = Collections.synchronizedList(new ArrayList<>());
    private FlyTransport transport;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        var properties = new FlyProperties(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                "fly-token-123",
                "personal",
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                4,
                Duration.ofMillis(10),
                Duration.ofSeconds(13));
        transport = new FlyTransport(
                properties,
                new SimpleMeterRegistry(),
                (endpoint, method, path, status, duration, error) -> audited.add(endpoint + " " + status));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        arrivals.add(System.nanoTime());
        seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " auth="
                + exchange.getRequestHeaders().getFirst("Authorization") + " nonce="
                + exchange.getRequestHeaders().getFirst("fly-machine-lease-nonce"));
        Answer next = script.poll();
        if (next == null) {
            next = new Answer(200, "{}");
        }
        byte[] body = next.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(next.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    @Test
    void idempotentCallsAreRetriedOnTransientErrorsWithTheTokenEachTime() {
        script.add(new Answer(503, "{\"error\":\"service unavailable\"}"));
        script.add(new Answer(429, "{\"error\":\"rate limit exceeded\"}"));
        script.add(new Answer(200, "{\"id\":\"app1\",\"name\":\"flotilla-a\",\"network\":\"flotilla-a\"}"));

        var app = new FlyApps(transport).get("flotilla-a");

        assertThat(app).hasValueSatisfying(found -> assertThat(found.network()).isEqualTo("flotilla-a"));
        assertThat(seen).hasSize(3).allMatch(line -> line.contains("auth=Bearer fly-token-123"));
        assertThat(audited).containsExactly("apps.get 503", "apps.get 429", "apps.get 200");
    }

    @Test
    void createsAreNeverRetriedBlindly() {
        script.add(new Answer(500, "{\"error\":\"internal error\"}"));
        var machines = new FlyMachines(transport);
        var request = new CreateMachineRequest(
                null, "iad", new MachineConfig("img", null, null, null, null, null, null, null), null, null);

        assertThatThrownBy(() -> machines.create("flotilla-a", request))
                .isInstanceOfSatisfying(FlyApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.ambiguous()).isTrue();
                });
        assertThat(seen).hasSize(1);
    }

    @Test
    void aCreateRefusedByFlysRateLimiterIsSentAgainAsItWasNeverProcessed() {
        script.add(new Answer(429, "{\"error\":\"rate limit exceeded\"}"));
        script.add(new Answer(200, "{\"id\":\"m1\",\"state\":\"created\"}"));
        var request = new CreateMachineRequest(
                null, "iad", new MachineConfig("img", null, null, null, null, null, null, null), null, null);

        var created = new FlyMachines(transport).create("flotilla-a", request);

        assertThat(created.id()).isEqualTo("m1");
        assertThat(audited).containsExactly("machines.create 429", "machines.create 200");
    }

    @Test
    void flysErrorBodyTellsCapacityAndNameTakenApart() {
        script.add(new Answer(412, "{\"error\":\"insufficient resources\",\"status\":\"insufficient_capacity\"}"));
        var machines = new FlyMachines(transport);
        var request = new CreateMachineRequest(
                null, "fra", new MachineConfig("img", null, null, null, null, null, null, null), null, null);
        assertThatThrownBy(() -> machines.create("flotilla-a", request))
                .isInstanceOfSatisfying(FlyApiException.class, e -> {
                    assertThat(e.capacity()).isTrue();
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("insufficient resources");
                });

        script.add(new Answer(422, "{\"error\":\"Name has already been taken\",\"status\":\"name_taken\"}"));
        assertThatThrownBy(() -> new FlyApps(transport).create("flotilla-a", "flotilla-a"))
                .isInstanceOfSatisfying(
                        FlyApiException.class, e -> assertThat(e.flyStatus()).isEqualTo("name_taken"));
    }

    @Test
    void notFoundIsAnAnswerNotAFailure() {
        script.add(new Answer(404, "{\"error\":\"app not found\"}"));
        assertThat(new FlyApps(transport).get("flotilla-missing")).isEmpty();
        script.add(new Answer(404, "{\"error\":\"machine not found\"}"));
        new FlyMachines(transport).destroy("flotilla-a", "m1", "nonce-1");
        assertThat(seen.get(1))
                .startsWith("DELETE /v1/apps/flotilla-a/machines/m1?force=true")
                .contains("nonce=nonce-1");
    }

    @Test
    void waitLoopsOnFlysTimeoutUntilTheMachineGetsThere() {
        script.add(
                new Answer(408, "{\"error\":\"machine failed to reach desired state, started, currently starting\"}"));
        script.add(new Answer(200, "{\"ok\":true,\"state\":\"started\"}"));
        var result = new FlyMachines(transport).waitFor("flotilla-a", "m1", "started", Duration.ofSeconds(30));
        assertThat(result).hasValueSatisfying(wait -> assertThat(wait.state()).isEqualTo("started"));
        assertThat(seen).allMatch(line -> line.contains("state=started") && line.contains("timeout="));
    }

    @Test
    void callsForOneMachineGoOutInAFlyBurstThenAtItsDocumentedRate() {
        var machines = new FlyMachines(transport);
        long first = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            machines.start("flotilla-a", "m1", "n");
        }
        // start is 1 request per second per machine with bursts of 3: the fourth waits for the bucket to refill
        assertThat(arrivals.get(3) - first)
                .isGreaterThanOrEqualTo(Duration.ofMillis(900).toNanos());
        // another machine has its own budget
        long before = System.nanoTime();
        machines.start("flotilla-a", "m2", "n");
        assertThat(arrivals.get(4)).isGreaterThanOrEqualTo(before);
    }
}
