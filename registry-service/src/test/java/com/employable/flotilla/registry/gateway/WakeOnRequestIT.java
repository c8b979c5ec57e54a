package com.employable.flotilla.registry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.registry.ServerStatus;
import com.employable.flotilla.registry.discovery.ServerDirectory;
import com.employable.flotilla.registry.discovery.ServerEvents;
import com.employable.flotilla.registry.support.Publish;
import com.employable.flotilla.registry.support.RecordingServer;
import com.employable.flotilla.registry.support.RegistryIntegrationTest;
import com.employable.flotilla.registry.support.TeamFront;
import com.employable.flotilla.registry.support.TestTokens;
import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 17, wake on request: a team whose machines are all asleep gets its agent's request held while the gateway
 * wakes the server through the team's proxy (this test's {@link TeamFront} stands in for Fly Proxy: it holds the wake
 * request while "the machine starts"), then forwarded exactly once. A server that does not wake within the bound
 * (4 s in the test context) gets 503 with {@code Retry-After}, and the request is never delivered, not even later.
 */
class WakeOnRequestIT extends RegistryIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":"
            + "\"notes_add\",\"arguments\":{\"text\":\"once\"}}}";

    @LocalServerPort
    int port;

    @Autowired
    ServerDirectory directory;

    @Autowired
    MeterRegistry meters;

    @Test
    void aSleepingServerIsWokenAndTheRequestForwardedOnceItAnswers() throws Exception {
        String team = newTeam("wake");
        var machineStarted = new CountDownLatch(1);
        try (var server = RecordingServer.ok()) {
            var front = new SleepingFront(server, machineStarted);
            TeamFront.route(team, front::handle);
            asleep(team);
            double awakeBefore = wakes("awake");

            CompletableFuture<HttpResponse<String>> answer = post(team);

            // the front holds the wake request while the machine starts: the agent's request waits at the gateway
            await().atMost(Duration.ofSeconds(10)).until(() -> front.wakeRequests.size() == 1);
            assertThat(front.wakeRequests).containsExactly("m1");
            assertThat(server.received()).as("nothing forwarded while asleep").isEmpty();
            machineStarted.countDown();

            HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            await().during(Duration.ofMillis(1_000))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> server.received().size() == 1);
            assertThat(server.received()).singleElement().satisfies(received -> {
                assertThat(received.method()).isEqualTo("POST");
                assertThat(received.body()).isEqualTo(CALL);
            });
            assertThat(wakes("awake")).isEqualTo(awakeBefore + 1);
        }
    }

    @Test
    void aServerThatDoesNotWakeInTimeGets503WithRetryAfterAndTheRequestNeverArrives() throws Exception {
        String team = newTeam("no-wake");
        var machineStarted = new CountDownLatch(1);
        try (var server = RecordingServer.ok()) {
            var front = new SleepingFront(server, machineStarted);
            TeamFront.route(team, front::handle);
            asleep(team);
            double timeoutsBefore = wakes("timeout");

            HttpResponse<String> response = post(team).get(10, TimeUnit.SECONDS);

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("3");
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(response.body())
                    .contains("problem/server-waking")
                    .contains("the team's server did not wake within 4 s");
            assertThat(wakes("timeout")).isEqualTo(timeoutsBefore + 1);
            // the machine comes up after all: the held wake request completes, the agent's request still never comes
            machineStarted.countDown();
            await().during(Duration.ofMillis(1_500))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> server.received().isEmpty());
        }
    }

    @Test
    void aProxyThatSaysTheMachineIsNotThereYetIsAskedAgainUntilItIs() throws Exception {
        String team = newTeam("wake-503");
        var asked = new AtomicInteger();
        try (var server = RecordingServer.ok()) {
            TeamFront.route(team, exchange -> {
                if (exchange.getRequestURI().getPath().endsWith("/healthz")) {
                    // Fly Proxy's answer while no machine can take the request yet
                    GatewayLimitsIT.respond(
                            exchange, asked.incrementAndGet() < 3 ? 503 : 200, "{\"status\":\"starting\"}");
                } else {
                    TeamFront.proxyTo(server.port()).handle(exchange);
                }
            });
            asleep(team);

            HttpResponse<String> response = post(team).get(10, TimeUnit.SECONDS);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(asked).hasValue(3);
            assertThat(server.received())
                    .singleElement()
                    .extracting(RecordingServer.Received::body)
                    .isEqualTo(CALL);
        }
    }

    @Test
    void aStartedServerIsNotWoken() throws Exception {
        String team = newTeam("awake");
        try (var server = RecordingServer.ok()) {
            var front = new SleepingFront(server, new CountDownLatch(1));
            TeamFront.route(team, front::handle);
            var events = new ServerEvents(team);
            Publish.events(events.provisioned(1, 1, "m1"), events.health("m1", HealthStatus.HEALTHY, 2));
            awaitStatus(team, ServerStatus.READY);

            assertThat(post(team).get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(front.wakeRequests).isEmpty();
            assertThat(server.received()).hasSize(1);
        }
    }

    @Test
    void aDeletedOrSuspendedTeamKeepsItsProblemAndNothingIsWoken() throws Exception {
        String deleted = newTeam("wake-deleted");
        String suspended = newTeam("wake-suspended");
        try (var server = RecordingServer.ok()) {
            var front = new SleepingFront(server, new CountDownLatch(1));
            TeamFront.route(deleted, front::handle);
            TeamFront.route(suspended, front::handle);
            asleep(deleted);
            asleep(suspended);
            var gone = new ServerEvents(deleted);
            var paused = new ServerEvents(suspended);
            Publish.events(gone.deprovisioned(2, 40), paused.suspended(2, 40));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> directory.find(deleted).isEmpty());
            awaitStatus(suspended, ServerStatus.SUSPENDED);

            HttpResponse<String> noServer = post(deleted).get(10, TimeUnit.SECONDS);
            HttpResponse<String> teamSuspended = post(suspended).get(10, TimeUnit.SECONDS);

            assertThat(noServer.statusCode()).isEqualTo(404);
            assertThat(noServer.body())
                    .contains("problem/no-server")
                    .contains("team " + deleted + " has no MCP server registered");
            assertThat(teamSuspended.statusCode()).isEqualTo(403);
            assertThat(teamSuspended.body())
                    .contains("problem/team-suspended")
                    .contains("the team is suspended; its MCP server is stopped until the team is resumed");
            assertThat(front.wakeRequests).isEmpty();
            assertThat(server.received()).isEmpty();
        }
    }

    /** Provisioned, probed healthy, then stopped by autostop: idle. */
    private void asleep(String team) {
        var events = new ServerEvents(team);
        Publish.events(
                events.provisioned(1, 1, "m1"),
                events.health("m1", HealthStatus.HEALTHY, 2),
                events.machine("m1", "started", "stopped", 30));
        awaitStatus(team, ServerStatus.IDLE);
    }

    private void awaitStatus(String team, ServerStatus status) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> directory
                        .find(team)
                        .map(s -> s.view().status() == status)
                        .orElse(false));
    }

    private CompletableFuture<HttpResponse<String>> post(String team) {
        return HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + team + "/mcp"))
                        .header("Authorization", "Bearer " + TestTokens.forTeam(team))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(CALL))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private double wakes(String outcome) {
        var timer =
                meters.find("flotilla.gateway.wakes").tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    /**
     * A team's proxy in front of a machine that is asleep: a request for the health path is held until the machine has
     * started (the latch), as Fly Proxy holds a request while it starts a machine; MCP requests go to the server.
     */
    private static final class SleepingFront {

        private final RecordingServer server;

        private final CountDownLatch machineStarted;

        /** The machine each wake request was pinned to. */
        final List<String> wakeRequests = new CopyOnWriteArrayList<>();

        SleepingFront(RecordingServer server, CountDownLatch machineStarted) {
            this.server = server;
            this.machineStarted = machineStarted;
        }

        void handle(HttpExchange exchange) throws IOException {
            if (!exchange.getRequestURI().getPath().endsWith("/healthz")) {
                TeamFront.proxyTo(server.port()).handle(exchange);
                return;
            }
            wakeRequests.add(String.valueOf(exchange.getRequestHeaders().getFirst("fly-force-instance-id")));
            try {
                if (!machineStarted.await(30, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
            GatewayLimitsIT.respond(exchange, 200, "{\"status\":\"ok\"}");
        }
    }
}
