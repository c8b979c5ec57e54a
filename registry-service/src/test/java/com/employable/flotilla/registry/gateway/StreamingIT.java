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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An event stream is relayed event by event (an event reaches the agent while the team server still holds the
 * stream open); any other answer is relayed whole, with its length, even when the team's proxy sends it chunked.
 */
class StreamingIT extends RegistryIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    ServerDirectory directory;

    @Test
    void anEventReachesTheAgentWhileTheStreamIsStillOpen() throws Exception {
        String team = newTeam("sse");
        var release = new CountDownLatch(1);
        try (var server = RecordingServer.answering(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("event: message\ndata: {\"n\":1}\n\n".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        })) {
            ready(team, server);
            HttpResponse<java.io.InputStream> answer = HTTP.send(post(team), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            try (var events = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
                assertThat(events.readLine()).isEqualTo("event: message");
                assertThat(events.readLine()).isEqualTo("data: {\"n\":1}");
                assertThat(release.getCount())
                        .as("the stream is still open upstream")
                        .isEqualTo(1);
                release.countDown();
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void aJsonAnswerSentChunkedArrivesWholeWithItsLength() throws Exception {
        String team = newTeam("json");
        String json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}";
        try (var server = RecordingServer.answering(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(json.getBytes(StandardCharsets.UTF_8));
            exchange.close();
        })) {
            ready(team, server);
            HttpResponse<String> answer = HTTP.send(post(team), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(json);
            assertThat(answer.headers().firstValue("Content-Length")).hasValue(String.valueOf(json.length()));
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

    private HttpRequest post(String team) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + team + "/mcp"))
                .header("Authorization", "Bearer " + TestTokens.forTeam(team))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))
                .build();
    }
}
