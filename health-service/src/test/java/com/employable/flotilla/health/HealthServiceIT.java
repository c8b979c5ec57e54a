package com.employable.flotilla.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.EventJson;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.kafka.DeadLetters;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.health.support.HealthServiceContext;
import com.employable.flotilla.health.support.HealthTopic;
import com.employable.flotilla.health.support.HungServer;
import com.employable.flotilla.health.support.Operator;
import com.employable.flotilla.health.support.PlainHttpServer;
import com.employable.flotilla.health.support.ProbeKeys;
import com.employable.flotilla.health.support.RegistryFeed;
import com.employable.flotilla.health.support.SdkMcpServer;
import com.employable.flotilla.health.support.TeamProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import tools.jackson.databind.JsonNode;

/**
 * The service end to end on the real broker and PostgreSQL: failures that need no team server (a hung TCP server,
 * an HTTP server that is not MCP), slowness, what the registry says not to probe, team removal, rebuilding the
 * targets from the topic, forged registry entries (another address, another producer), and the HTTP API behind the
 * operator token.
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
        try (HungServer hung = HungServer.start();
                HealthTopic health = new HealthTopic()) {
            serve(team, hung.endpoint(team));
            RegistryFeed.entry(team, 1, "provisioning", RegistryFeed.MACHINE + ":started");

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
            serve(team, web.endpoint(team));
            RegistryFeed.entry(team, 1, "provisioning", RegistryFeed.MACHINE + ":started");

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
            serve(team, server.endpoint(team));
            RegistryFeed.entry(team, 1, "ready", RegistryFeed.MACHINE + ":started");
            assertThat(HealthTopic.change(health.await(team, 1).get(0)).status())
                    .isEqualTo(HealthStatus.HEALTHY);

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
            serve(team, server.endpoint(team));
            RegistryFeed.entry(
                    team, 3, "ready", RegistryFeed.MACHINE + ":started", RegistryFeed.SECOND_MACHINE + ":stopped");
            health.await(team, 1);

            HttpResponse<String> response = get("/v1/health/" + team);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            JsonNode body = EventJson.MAPPER.readTree(response.body());
            assertThat(body.get("teamId").asString()).isEqualTo(team);
            assertThat(body.get("status").asString()).isEqualTo("healthy");
            assertThat(body.get("registryStatus").asString()).isEqualTo("ready");
            assertThat(body.get("registryVersion").asLong()).isEqualTo(3);
            JsonNode m1 = body.get("machines").get(0);
            assertThat(m1.get("machineId").asString()).isEqualTo(RegistryFeed.MACHINE);
            assertThat(m1.get("probing").asBoolean()).isTrue();
            assertThat(m1.get("status").asString()).isEqualTo("healthy");
            assertThat(m1.get("endpoint").asString())
                    .as("the machine's own derived address, not one from the entry")
                    .isEqualTo(TeamProxy.shared().machineEndpointOf(team, RegistryFeed.MACHINE));
            assertThat(m1.get("lastProbe").get("ok").asBoolean()).isTrue();
            assertThat(m1.get("lastProbe").get("protocolVersion").asString()).isEqualTo("2025-11-25");
            assertThat(m1.get("lastProbe").get("toolCount").asInt()).isEqualTo(1);
            JsonNode m2 = body.get("machines").get(1);
            assertThat(m2.get("machineId").asString()).isEqualTo(RegistryFeed.SECOND_MACHINE);
            assertThat(m2.get("probing").asBoolean()).isFalse();
            assertThat(m2.get("notProbedBecause").asString()).isEqualTo("machine is stopped");
            assertThat(m2.get("status").asString()).isEqualTo("unknown");
            assertThat(server.lastForceInstance())
                    .as("a direct connection to the machine needs no routing by Fly's proxy")
                    .isNull();
            assertThat(TeamProxy.shared().proxiedRequests(team)).isZero();

            JsonNode page = EventJson.MAPPER.readTree(
                    get("/v1/health?status=healthy&size=500").body());
            assertThat(page.get("items")
                            .valueStream()
                            .map(item -> item.get("teamId").asString()))
                    .contains(team);
            assertThat(page.get("items")
                            .valueStream()
                            .map(item -> item.get("status").asString()))
                    .containsOnly("healthy");
        }
    }

    @Test
    void aForgedRegistryEntryIsDeadLetteredAndItsHostNeverReceivesAProbeOrAToken() throws Exception {
        String team = newTeam("forged");
        String newcomer = newTeam("forged-new");
        try (SdkMcpServer server = SdkMcpServer.start(ProbeKeys.SERVICE.tokenFor(team));
                PlainHttpServer attacker = PlainHttpServer.answering(200, "application/json", "{}");
                HealthTopic health = new HealthTopic();
                TopicProbe deadLetters = registryDeadLetters()) {
            serve(team, server.endpoint(team));
            RegistryFeed.entry(team, 1, "ready", RegistryFeed.MACHINE + ":started");
            assertThat(HealthTopic.change(health.await(team, 1).get(0)).status())
                    .isEqualTo(HealthStatus.HEALTHY);

            // a forger publishes newer entries pointing the team's probes at its own host
            RegistryFeed.entryAt(team, 2, "ready", attacker.endpoint(team), null, RegistryFeed.MACHINE + ":started");
            RegistryFeed.entryAt(
                    team,
                    3,
                    "ready",
                    TeamProxy.shared().endpointOf(team),
                    attacker.endpoint(team),
                    RegistryFeed.MACHINE + ":started");
            // and an entry for a team not seen before
            RegistryFeed.entryAt(
                    newcomer, 1, "ready", attacker.endpoint(newcomer), null, RegistryFeed.MACHINE + ":started");

            // the team is still probed where it lives (some eight probes, 2.4 s, long after the forged entries were
            // read), and the forger's host hears nothing: no probe, no token
            int sessions = server.sessionsOpened();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !attacker.requests().isEmpty() || server.sessionsOpened() > sessions + 8);
            assertThat(attacker.authorizations())
                    .as("probe tokens sent to the forger's host")
                    .isEmpty();
            assertThat(attacker.requests()).isEmpty();

            List<String> reasons =
                    deadLetters.await(record -> team.equals(record.key()), 2, Duration.ofSeconds(30)).stream()
                            .map(HealthServiceIT::reason)
                            .toList();
            assertThat(reasons)
                    .containsExactly(
                            "InvalidEventException: endpoint.url '" + attacker.endpoint(team)
                                    + "' is not the address of the team's app flotilla-team-" + team + " ("
                                    + TeamProxy.shared().endpointOf(team) + ")",
                            "InvalidEventException: endpoint.privateUrl '" + attacker.endpoint(team)
                                    + "' is not the address of the team's app flotilla-team-" + team + " ("
                                    + TeamProxy.shared().privateEndpointOf(team) + ")");
            assertThat(deadLetters.await(record -> newcomer.equals(record.key()), 1, Duration.ofSeconds(30)))
                    .extracting(HealthServiceIT::reason)
                    .singleElement()
                    .asString()
                    .startsWith("InvalidEventException: endpoint.url '" + attacker.endpoint(newcomer) + "'");
            JsonNode body = EventJson.MAPPER.readTree(get("/v1/health/" + team).body());
            assertThat(body.get("registryVersion").asLong()).isEqualTo(1);
            assertThat(body.get("machines").get(0).get("endpoint").asString())
                    .isEqualTo(TeamProxy.shared().machineEndpointOf(team, RegistryFeed.MACHINE));
            assertThat(get("/v1/health/" + newcomer).statusCode()).isEqualTo(404);
            assertThat(health.drain(team, Duration.ofMillis(500))).hasSize(1);
        }
    }

    @Test
    void aRegistryEntryFromAnotherProducerIsDeadLetteredWithTheReasonAndNotProbed() throws Exception {
        String team = newTeam("foreign");
        try (SdkMcpServer server = SdkMcpServer.start(ProbeKeys.SERVICE.tokenFor(team));
                TopicProbe deadLetters = registryDeadLetters()) {
            serve(team, server.endpoint(team));
            RegistryFeed.entryFrom("flotilla/provisioner", team, 1, "ready", RegistryFeed.MACHINE + ":started");

            ConsumerRecord<String, byte[]> dead = deadLetters
                    .await(record -> team.equals(record.key()), 1, Duration.ofSeconds(30))
                    .get(0);
            assertThat(reason(dead))
                    .isEqualTo("InvalidEventException: ce_source "
                            + "'flotilla/provisioner' is not the producer of flotilla.registry.v1 (flotilla/registry)");
            assertThat(get("/v1/health/" + team).statusCode()).isEqualTo(404);
            assertThat(server.sessionsOpened()).isZero();
        }
    }

    @Test
    void theApiAnswersNobodyWithoutTheOperatorToken() throws Exception {
        String wrong = Operator.TOKEN.substring(1) + "x";
        for (String path : List.of(
                "/v1/health",
                "/v1/health/some-team",
                "/v1/health?status=healthy",
                "//v1/health",
                "/v1;x=y/health",
                "/%76%31/health")) {
            URI uri = URI.create("http://127.0.0.1:" + port + path);
            for (HttpResponse<String> response : List.of(
                    send(HttpRequest.newBuilder(uri)),
                    send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + wrong)),
                    send(HttpRequest.newBuilder(uri).header("Authorization", Operator.TOKEN)))) {
                assertThat(response.statusCode()).as(path).isEqualTo(401);
                assertThat(response.headers().firstValue("Content-Type"))
                        .as(path)
                        .hasValue("application/problem+json");
                assertThat(response.headers().firstValue("WWW-Authenticate").orElse(""))
                        .startsWith("Bearer");
                JsonNode problem = EventJson.MAPPER.readTree(response.body());
                assertThat(problem.get("status").asInt()).isEqualTo(401);
                assertThat(problem.get("title").asString()).isEqualTo("Unauthorized");
                assertThat(response.body()).doesNotContain(Operator.TOKEN, "items");
            }
        }
        assertThat(get("/v1/health").statusCode()).isEqualTo(200);
        assertThat(get("/v1/health/no-such-team").statusCode())
                .as("authorized, then not found")
                .isEqualTo(404);
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
            serve(team, server.endpoint(team));
            RegistryFeed.entry(team, 1, "ready", RegistryFeed.MACHINE + ":started");
            health.await(team, 1);
            assertThat(statusRows(team)).isEqualTo(1);

            RegistryFeed.tombstone(team);

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> get("/v1/health/" + team).statusCode() == 404);
            await().atMost(Duration.ofSeconds(20)).until(() -> statusRows(team) == 0);
            int sessions = server.sessionsOpened();
            await().during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> server.sessionsOpened() == sessions);
        }
    }

    @Test
    void targetsAreRebuiltFromTheTopicWhenTheConsumerRestartsWithoutPublishingAgain() throws Exception {
        String team = newTeam("rebuilt");
        try (SdkMcpServer server = SdkMcpServer.start(ProbeKeys.SERVICE.tokenFor(team));
                HealthTopic health = new HealthTopic()) {
            serve(team, server.endpoint(team));
            RegistryFeed.entry(team, 1, "ready", RegistryFeed.MACHINE + ":started");
            health.await(team, 1);

            MessageListenerContainer registry = listeners.getListenerContainer("health-registry");
            registry.stop();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> get("/v1/health/" + team).statusCode() == 404);
            registry.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                HttpResponse<String> response = get("/v1/health/" + team);
                return response.statusCode() == 200
                        && EventJson.MAPPER
                                .readTree(response.body())
                                .get("machines")
                                .get(0)
                                .has("lastProbe");
            });
            int sessions = server.sessionsOpened();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.sessionsOpened() > sessions + 2);
            assertThat(health.drain(team, Duration.ofMillis(500)))
                    .as("the verdict resumed from what was published: healthy is not published again")
                    .hasSize(1);
        }
    }

    private static TopicProbe registryDeadLetters() {
        return TopicProbe.reading(TestKafka.bootstrapServers(), Topics.REGISTRY.deadLetterTopic());
    }

    /** Why a record was dead-lettered. */
    private static String reason(ConsumerRecord<String, byte[]> record) {
        return CloudEventCodec.header(record.headers(), DeadLetters.REASON_HEADER)
                .orElse("");
    }

    private int statusRows(String team) {
        return jdbc.sql("select count(*) from target_status where team_id = ?")
                .param(team)
                .query(Integer.class)
                .single();
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
        return http.send(Operator.get(port, path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
