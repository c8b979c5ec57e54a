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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Finding 8: Fly's proxy answers 502 when a machine dies mid-request, after the server may have run the call. The
 * gateway never sends such a request again: a tool call reaches the team server exactly once. Idempotent requests may
 * still be retried while a server wakes.
 */
class NoReplayIT extends RegistryIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    ServerDirectory directory;

    @Test
    void aToolCallAnswered502AfterItsBodyWasReadIsNotSentAgain() throws Exception {
        String team = newTeam("no-replay");
        try (var dying = RecordingServer.answering(
                exchange -> GatewayLimitsIT.respond(exchange, 502, "{\"error\":\"machine died mid-request\"}"))) {
            ready(team, dying);
            String call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"notes_add\","
                    + "\"arguments\":{\"text\":\"once\"}}}";

            HttpResponse<String> answer = HTTP.send(
                    HttpRequest.newBuilder(gateway(team))
                            .header("Authorization", "Bearer " + TestTokens.forTeam(team))
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json, text/event-stream")
                            .POST(HttpRequest.BodyPublishers.ofString(call))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(502);
            assertThat(answer.body()).contains("upstream-failed-not-resent");
            // for longer than several retry back-offs of the old gateway: still one request
            await().during(Duration.ofMillis(1_500))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> dying.received().size() == 1);
            assertThat(dying.received()).singleElement().satisfies(received -> {
                assertThat(received.method()).isEqualTo("POST");
                assertThat(received.body()).isEqualTo(call);
            });
        }
    }

    @Test
    void anIdempotentRequestAnswered503IsRetriedUntilTheServerAnswers() throws Exception {
        String team = newTeam("waking");
        var calls = new java.util.concurrent.atomic.AtomicInteger();
        try (var waking = RecordingServer.answering(exchange -> {
            if (calls.incrementAndGet() < 3) {
                GatewayLimitsIT.respond(exchange, 503, "{\"error\":\"starting\"}");
            } else {
                GatewayLimitsIT.respond(exchange, 200, "{}");
            }
        })) {
            ready(team, waking);
            HttpResponse<String> answer = HTTP.send(
                    HttpRequest.newBuilder(gateway(team))
                            .header("Authorization", "Bearer " + TestTokens.forTeam(team))
                            .header("Mcp-Session-Id", "s-1")
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(waking.received()).hasSize(3);
        }
    }

    private void ready(String team, RecordingServer server) {
        TeamFront.route(team, TeamFront.proxyTo(server.port()));
        var events = new ServerEvents(team);
        Publish.events(events.provisioned(1, 1, "m1"), events.health("m1", HealthStatus.HEALTHY, 2));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> directory
                        .find(team)
                        .map(s -> s.view().status() == ServerStatus.READY)
                        .orElse(false));
    }

    private URI gateway(String team) {
        return URI.create("http://127.0.0.1:" + port + "/" + team + "/mcp");
    }
}
