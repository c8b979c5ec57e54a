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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Finding 11: one team cannot take the gateway from the others. Its requests in flight and its open event streams
 * are capped (429 with {@code Retry-After} and a problem body), while another team's requests still pass; a slow
 * upload is cut off with 408 within the body-read timeout.
 */
class GatewayLimitsIT extends RegistryIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";

    @LocalServerPort
    int port;

    @Autowired
    ServerDirectory directory;

    @Test
    void aTeamAtItsRequestCapGets429WhileAnotherTeamsRequestsSucceed() throws Exception {
        String busy = newTeam("busy");
        String quiet = newTeam("quiet");
        var release = new CountDownLatch(1);
        try (var busyServer = RecordingServer.answering(exchange -> {
                    hold(release);
                    respond(exchange, 200, "{}");
                });
                var quietServer = RecordingServer.ok()) {
            ready(busy, busyServer);
            ready(quiet, quietServer);

            List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < MAX_REQUESTS_PER_TEAM; i++) {
                held.add(HTTP.sendAsync(post(busy), HttpResponse.BodyHandlers.ofString()));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> busyServer.received().size() == MAX_REQUESTS_PER_TEAM);

            HttpResponse<String> refused = HTTP.send(post(busy), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("3");
            assertThat(refused.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(refused.body()).contains("team-limit-reached");
            assertThat(busyServer.received())
                    .as("the refused request never reached the team")
                    .hasSize(MAX_REQUESTS_PER_TEAM);

            for (int i = 0; i < 3; i++) {
                assertThat(HTTP.send(post(quiet), HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                        .as("another team is not affected")
                        .isEqualTo(200);
            }

            release.countDown();
            for (var response : held) {
                assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            // the slots are given back: the team is served again
            assertThat(HTTP.send(post(busy), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aTeamAtItsEventStreamCapGets429ForAnotherStream() throws Exception {
        String team = newTeam("streams");
        var release = new CountDownLatch(1);
        try (var server = RecordingServer.answering(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(": open\n\n".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            hold(release);
            exchange.close();
        })) {
            ready(team, server);
            List<CompletableFuture<HttpResponse<InputStream>>> open = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                open.add(HTTP.sendAsync(stream(team), HttpResponse.BodyHandlers.ofInputStream()));
            }
            for (var response : open) {
                assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }

            HttpResponse<String> refused = HTTP.send(stream(team), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).contains("open event streams");
            // a POST of the same team still passes: streams have their own cap below the request cap
            assertThat(HTTP.send(post(team), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            release.countDown();
            for (var response : open) {
                response.get().body().close();
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void aSlowUploadIsCutOffWith408WithinTheBodyReadTimeout() throws Exception {
        String team = newTeam("slow");
        try (var server = RecordingServer.ok()) {
            ready(team, server);
            long bound = Duration.parse("PT" + BODY_READ_TIMEOUT.toUpperCase()).toMillis();
            try (var socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout((int) bound * 5);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /" + team + "/mcp HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                                + TestTokens.forTeam(team)
                                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n"
                                + "\r\n{\"jsonrpc\":")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                long started = System.nanoTime();
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                long tookMillis = (System.nanoTime() - started) / 1_000_000;

                assertThat(answer)
                        .startsWith("HTTP/1.1 408")
                        .contains("application/problem+json")
                        .contains("request-body-timeout");
                assertThat(tookMillis).isBetween(bound - 200, bound + 2_000);
            }
            assertThat(server.received())
                    .as("nothing half-read reaches the team")
                    .isEmpty();
        }
    }

    @Test
    void aChunkedBodyOverTheLimitGets413() throws Exception {
        String team = newTeam("large");
        try (var server = RecordingServer.ok()) {
            ready(team, server);
            byte[] large = new byte[70 * 1024];
            java.util.Arrays.fill(large, (byte) ' ');
            HttpResponse<String> answer = HTTP.send(
                    HttpRequest.newBuilder(gateway(team))
                            .header("Authorization", "Bearer " + TestTokens.forTeam(team))
                            .header("Content-Type", "application/json")
                            // no length: chunked, so only reading tells the size
                            .POST(HttpRequest.BodyPublishers.ofInputStream(
                                    () -> new java.io.ByteArrayInputStream(large)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(413);
            assertThat(answer.body()).contains("request-too-large");
            assertThat(server.received()).isEmpty();
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

    private HttpRequest post(String team) {
        return HttpRequest.newBuilder(gateway(team))
                .header("Authorization", "Bearer " + TestTokens.forTeam(team))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(PING))
                .build();
    }

    private HttpRequest stream(String team) {
        return HttpRequest.newBuilder(gateway(team))
                .header("Authorization", "Bearer " + TestTokens.forTeam(team))
                .header("Accept", "text/event-stream")
                .GET()
                .build();
    }

    static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String json)
            throws java.io.IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
