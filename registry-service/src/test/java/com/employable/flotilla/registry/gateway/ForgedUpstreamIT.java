package com.employable.flotilla.registry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.registry.ServerStatus;
import com.employable.flotilla.common.events.server.Endpoint;
import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.common.events.server.ServerUpdated;
import com.employable.flotilla.common.kafka.DeadLetters;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Finding 3: a forged {@code server.provisioned} (or {@code server.updated}) naming another host or app is
 * dead-lettered with the field it got wrong, and the gateway never contacts that host: it derives where a team's
 * server is from the team id, so the attacker's server receives nothing, least of all a minted team token.
 */
class ForgedUpstreamIT extends RegistryIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

    @LocalServerPort
    int port;

    @Autowired
    ServerDirectory directory;

    @Test
    void aForgedProvisionedEventPointingElsewhereIsDeadLetteredAndTheGatewayNeverGoesThere() throws Exception {
        String team = newTeam("forged");
        var events = new ServerEvents(team);
        try (var attacker = RecordingServer.ok();
                var dlt = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.SERVER_LIFECYCLE.deadLetterTopic())) {
            var elsewhere =
                    new Endpoint("http://127.0.0.1:" + attacker.port() + "/mcp", null, Endpoint.STREAMABLE_HTTP, null);
            Publish.events(events.provisioned(1, 1, elsewhere, "m1"), events.health("m1", HealthStatus.HEALTHY, 2));

            ConsumerRecord<String, byte[]> dead = dlt.await(
                            record -> team.equals(record.key()), 1, Duration.ofSeconds(30))
                    .get(0);
            assertThat(reason(dead)).contains("endpoint.url").contains(String.valueOf(attacker.port()));
            // nothing was applied: the team has no server, so the gateway has nowhere to send the agent
            HttpResponse<String> answer = post(team);
            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(directory.find(team)).isEmpty();
            assertThat(attacker.received()).isEmpty();
        }
    }

    @Test
    void aForgedUpdateOfARunningTeamIsDeadLetteredAndRequestsStillReachOnlyTheDerivedEndpoint() throws Exception {
        String team = newTeam("hijack");
        var events = new ServerEvents(team);
        try (var legitimate = RecordingServer.ok();
                var attacker = RecordingServer.ok();
                var dlt = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.SERVER_LIFECYCLE.deadLetterTopic())) {
            TeamFront.route(team, TeamFront.proxyTo(legitimate.port()));
            Publish.events(events.provisioned(1, 1, "m1"), events.health("m1", HealthStatus.HEALTHY, 2));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> directory
                            .find(team)
                            .map(s -> s.view().status() == ServerStatus.READY)
                            .orElse(false));

            var attackerUrl = new Endpoint(
                    "http://127.0.0.1:" + attacker.port() + "/mcp",
                    "http://127.0.0.1:" + attacker.port() + "/mcp",
                    Endpoint.STREAMABLE_HTTP,
                    null);
            var good = events.updated(2, 3, "m1");
            var forgedEndpoint = new ServerUpdated(
                    team,
                    2,
                    good.app(),
                    "fra",
                    good.network(),
                    attackerUrl,
                    good.machines(),
                    good.image(),
                    good.occurredAt());
            var forgedApp = new ServerProvisioned(
                    team,
                    3,
                    "flotilla-registry-service",
                    "fra",
                    good.network(),
                    events.endpoint(),
                    good.machines(),
                    good.image(),
                    ServerEvents.at(4));
            Publish.all(
                    List.of(Publish.record(forgedEndpoint, Instant.now()), Publish.record(forgedApp, Instant.now())));

            List<String> reasons = dlt.await(record -> team.equals(record.key()), 2, Duration.ofSeconds(30)).stream()
                    .map(ForgedUpstreamIT::reason)
                    .toList();
            assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains("endpoint.url"));
            assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains("app 'flotilla-registry-service'"));
            assertThat(directory.find(team).orElseThrow().view().endpoint().url())
                    .isEqualTo(TeamFront.addresses().endpointUrl(team));

            HttpResponse<String> answer = post(team);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(legitimate.received()).hasSize(1);
            assertThat(legitimate.received().get(0).authorization()).startsWith("Bearer ");
            assertThat(attacker.received())
                    .as("no request, and so no minted team token, reached the attacker")
                    .isEmpty();
        }
    }

    @Test
    void aTeamServedFromAClaimedPoolAppIsReachedThereAndAnotherTeamsAppIsRefused() throws Exception {
        String team = newTeam("pooled");
        String pool = TeamFront.addresses().poolAppName("p" + team.substring(team.length() - 8) + "x");
        var events = new ServerEvents(team).inApp(pool);
        try (var pooled = RecordingServer.ok();
                var ownApp = RecordingServer.ok();
                var dlt = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.SERVER_LIFECYCLE.deadLetterTopic())) {
            TeamFront.routeApp(pool, TeamFront.proxyTo(pooled.port()));
            TeamFront.route(team, TeamFront.proxyTo(ownApp.port()));
            Publish.events(events.provisioned(1, 1, "m1"), events.health("m1", HealthStatus.HEALTHY, 2));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> directory
                            .find(team)
                            .map(s -> s.view().status() == ServerStatus.READY)
                            .orElse(false));
            assertThat(directory.find(team).orElseThrow().view().app()).isEqualTo(pool);

            assertThat(post(team).statusCode()).isEqualTo(200);
            assertThat(pooled.received()).hasSize(1);
            assertThat(ownApp.received()).isEmpty();

            var otherTeamsApp =
                    new ServerEvents(team).inApp(TeamFront.addresses().appName("someone-else"));
            Publish.events(otherTeamsApp.machine("m1", "started", "stopped", 5));
            var dead = dlt.await(record -> team.equals(record.key()), 1, Duration.ofSeconds(30))
                    .get(0);
            assertThat(reason(dead)).contains("app 'flotilla-team-someone-else'");
        }
    }

    @Test
    void aServerEventFromAnotherSourceThanTheProvisionerIsDeadLettered() throws Exception {
        String team = newTeam("wrong-source");
        var events = new ServerEvents(team);
        var genuine = Publish.record(events.provisioned(1, 1, "m1"), Instant.now());
        genuine.headers().remove("ce_source");
        genuine.headers().add("ce_source", "flotilla/health".getBytes(StandardCharsets.UTF_8));
        try (var dlt = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.SERVER_LIFECYCLE.deadLetterTopic())) {
            Publish.all(List.of(genuine));
            var dead = dlt.await(record -> team.equals(record.key()), 1, Duration.ofSeconds(30))
                    .get(0);
            assertThat(reason(dead)).contains("ce_source");
            assertThat(directory.find(team)).isEmpty();
        }
    }

    private HttpResponse<String> post(String team) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + team + "/mcp"))
                        .header("Authorization", "Bearer " + TestTokens.forTeam(team))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String reason(ConsumerRecord<String, byte[]> dead) {
        return new String(dead.headers().lastHeader(DeadLetters.REASON_HEADER).value(), StandardCharsets.UTF_8);
    }
}
