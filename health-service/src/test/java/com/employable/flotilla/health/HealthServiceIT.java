package com.employable.flotilla.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import com.employable.flotilla.common.cloudevents.EventJson;
import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.health.support.HealthServiceContext;
import com.employable.flotilla.health.support.HealthTopic;
import com.employable.flotilla.health.support.HungServer;
import com.employable.flotilla.health.support.PlainHttpServer;
import com.employable.flotilla.health.support.ProbeKeys;
import com.employable.flotilla.health.support.RegistryFeed;
import com.employable.flotilla.health.support.SdkMcpServer;

import tools.jackson.databind.JsonNode;

/**
 * The service end to end on the real broker and PostgreSQL: failures that need no team server (a hung TCP server,
 * an HTTP server that is not MCP), slowness, what the registry says not to probe, team removal, rebuilding the
 * targets from the topic, and the HTTP API.
 */
class HealthServiceIT extends HealthServiceContext {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aServerThatAcceptsButNeverAnswersIsUnhealthyTimeout() {
        String team = newTeam("hung");
        try (HungServer hung = HungServer.start(); HealthTopic health = new HealthTopic()) {
            RegistryFeed.entry(team, 1, "provisioning", hung.endpoint(team), "m1:started");

            HealthChanged unhealthy = HealthTopic.change(health.await(team, 1).get(0));
            assertThat(unhealthy.status()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(unhealthy.previous()).isNull();
            assertThat(unhealthy.failure().kind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(unhealthy.failure().detail()).isEqualTo("initialize timed out after 1500 ms");
            assertThat(unhealthy.latencyMs()).isGreaterThanOrEqualTo(1500);
            assertThat(health.drain(team, Duration.ofSeconds(1))).hasSize(1);
        }
    }

    @Test
    void anHttpServerThatIsNotMcpIsUnhealthyProtocol() {
        String team = newTeam("not-mcp");
        try (PlainHttpServer web = PlainHttpServer.answering(200, "text/html", "<html>a web site</html>");
                HealthTopic health = new HealthTopic()) {
            RegistryFeed.entry(team, 1, "provisioning", web.endpoint(team), "m1:started");

            HealthChanged unhealthy = HealthTopic.change(health.await(team, 1).get(0));
            assertThat(unhealthy.status()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(unhealthy.failure().kind()).isEqualTo(FailureKind.PROTOCOL);
            assertThat(web.requests()).allSatisfy(request -> assertThat(request).endsWith("/teams/" + team + "/mcp"));
        }
    }

    @Test
    void aSlowServerIsDegradedAndHealthyAgainOnceFast() {
        String team = newTeam("slow");
        try (SdkMcpServer server = SdkMcpServer.start(ProbeKeys.SERVICE.tokenFor(team));
                HealthTopic health = new HealthTopic()) {
            RegistryFeed.entry(team, 1, "ready", server.endpoint(team), "m1:started");
            assertThat(HealthTopic.change(health.await(team, 1).get(0)).status()).isEqualTo(HealthStatus.HEALTHY);

            // three POSTs per probe (initialize, initialized, tools/list): about 1.35 s, beyond the 1 s threshold
            server.latency(450);
            HealthChanged degraded = HealthTopic.change(health.await(team, 2).get(1));
            assertThat(degraded.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(degraded.failure()).isNull();
            assertThat(degraded.latencyMs()).isGreaterThan(1000);

            server.latency(0);
            HealthChanged healthy = HealthTopic.change(health.await(team, 3).get(2));
            assertThat(healthy.status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(healthy.previous()).isEqualTo(HealthStatus.DEGRADED);
        }
    }

    @Test
    void theApiShowsTheLatestProbeOfEachMachineAndWhyAMachineIsNotProbed() throws Exception {
        String team = newTeam("api");
        try (SdkMcpServer server = SdkMcpServer.start(ProbeKeys.SERVICE.tokenFor(team));
                HealthTopic health = new HealthTopic()) {
            RegistryFeed.entry(team, 3, "ready", server.endpoint(team), "m1:started", "m2:stopped");
            health.await(team, 1);

            HttpResponse<String> response = get("/v1/health/" + team);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            JsonNode body = EventJson.MAPPER.readTree(response.body());
            assertThat(body.get("teamId").asString()).isEqualTo(team);
            assertThat(body.get("status").asString()).isEqualTo("healthy");
            assertThat(body.get("registryStatus").asString()).isEqualTo("ready");
            assertThat(body.get("registryVersion").asLong()).isEqualTo(3);
            JsonNode m1 = body.get("machines").get(0);
            assertThat(m1.get("machineId").asString()).isEqualTo("m1");
            assertThat(m1.get("probing").asBoolean()).isTrue();
            assertThat(m1.get("status").asString()).isEqualTo("healthy");
            assertThat(m1.get("endpoint").asString()).isEqualTo(server.endpoint(team));
            assertThat(m1.get("lastProbe").get("ok").asBoolean()).isTrue();
            assertThat(m1.get("lastProbe").get("protocolVersion").asString()).isEqualTo("2025-11-25");
            assertThat(m1.get("lastProbe").get("toolCount").asInt()).isEqualTo(1);
            JsonNode m2 = body.get("machines").get(1);
            assertThat(m2.get("machineId").asString()).isEqualTo("m2");
            assertThat(m2.get("probing").asBoolean()).isFalse();
            assertThat(m2.get("notProbedBecause").asString()).isEqualTo("machine is stopped");
            assertThat(m2.get("status").asString()).isEqualTo("unknown");
            assertThat(server.lastForceInstance()).as("probes are routed to the machine").isEqualTo("m1");

            JsonNode page = EventJson.MAPPER.readTree(get("/v1/health?status=healthy&size=500").body());
            assertThat(page.get("items").valueStream().map(item -> item.get("teamId").asString()))
                .contains(team);
            assertThat(page.get("items").valueStream().map(item -> item.get("status").asString()))
                .containsOnly("healthy");
        }
    }

    @Test
    void badRequestsGetProblemDetails() throws Exception {
        assertProblem(get("/v1/health/no-such-team"), 404, "Unknown team");
        assertProblem(get("/v1/health/Not_A_Team"), 400, "Invalid team id");
        assertProblem(get("/v1/health?size=0"), 400, "Invalid page");
        assertProblem(get("/v1/health?status=sideways"), 400, "Invalid status");
        assertThat(get("/v1/health?page=nope").statusCode()).isEqualTo(400);
    }

    @Test
    void aRemovedTeamIsNoLongerProbedOrRemembered() throws Exception {
        String team = newTeam("removed");
        try (SdkMcpServer server = SdkMcpServer.start(ProbeKeys.SERVICE.tokenFor(team));
                HealthTopic health = new HealthTopic()) {
            RegistryFeed.entry(team, 1, "ready", server.endpoint(team), "m1:started");
            health.await(team, 1);
            assertThat(statusRows(team)).isEqualTo(1);

            RegistryFeed.tombstone(team);

            await().atMost(Duration.ofSeconds(20)).until(() -> get("/v1/health/" + team).statusCode() == 404);
            await().atMost(Duration.ofSeconds(20)).until(() -> statusRows(team) == 0);
            int sessions = server.sessionsOpened();
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> server.sessionsOpened() == sessions);
        }
    }

    @Test
    void targetsAreRebuiltFromTheTopicWhenTheConsumerRestartsWithoutPublishingAgain() throws Exception {
        String team = newTeam("rebuilt");
        try (SdkMcpServer server = SdkMcpServer.start(ProbeKeys.SERVICE.tokenFor(team));
                HealthTopic health = new HealthTopic()) {
            RegistryFeed.entry(team, 1, "ready", server.endpoint(team), "m1:started");
            health.await(team, 1);

            MessageListenerContainer registry = listeners.getListenerContainer("health-registry");
            registry.stop();
            await().atMost(Duration.ofSeconds(20)).until(() -> get("/v1/health/" + team).statusCode() == 404);
            registry.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                HttpResponse<String> response = get("/v1/health/" + team);
                return response.statusCode() == 200
                        && EventJson.MAPPER.readTree(response.body()).get("machines").get(0).has("lastProbe");
            });
            int sessions = server.sessionsOpened();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.sessionsOpened() > sessions + 2);
            assertThat(health.drain(team, Duration.ofMillis(500)))
                .as("the verdict resumed from what was published: healthy is not published again")
                .hasSize(1);
        }
    }

    private int statusRows(String team) {
        return jdbc.sql("select count(*) from target_status where team_id = ?").param(team).query(Integer.class).single();
    }

    private void assertProblem(HttpResponse<String> response, int status, String title) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = EventJson.MAPPER.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isEqualTo(title);
        assertThat(problem.has("detail")).isTrue();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
