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
import com.employable.flotilla.health.support.Operator;
import com.employable.flotilla.health.support.PlainHttpServer;
import com.employable.flotilla.health.support.ProbeKeys;
import com.employable.flotilla.health.support.RegistryFeed;
import com.employable.flotilla.health.support.SdkMcpServer;
import com.employable.flotilla.health.support.TeamProxy;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Probes that never keep a team server awake, on the real service with its default address mode: each started
 * machine is probed straight at its own address (Fly's private network, which Fly's proxy never sees), a machine that
 * is not started is never contacted and keeps its verdict, a server that breaks while awake is caught, and what it
 * says is cleaned before it reaches the event, the API or a log line.
 */
class MachineProbesIT extends HealthServiceContext {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void onlyStartedMachinesAreProbedEachStraightAtItsOwnAddressAndNeverThroughTheProxy() {
        String team = newTeam("direct");
        try (SdkMcpServer started = SdkMcpServer.start(ProbeKeys.SERVICE.tokenFor(team));
                SdkMcpServer stopped = SdkMcpServer.start(ProbeKeys.SERVICE.tokenFor(team));
                HealthTopic health = new HealthTopic()) {
            TeamProxy.shared().serveMachine(team, RegistryFeed.MACHINE, started.endpoint(team));
            TeamProxy.shared().serveMachine(team, RegistryFeed.SECOND_MACHINE, stopped.endpoint(team));

            RegistryFeed.entry(
                    team, 1, "ready", RegistryFeed.MACHINE + ":started", RegistryFeed.SECOND_MACHINE + ":stopped");

            assertThat(HealthTopic.change(health.await(team, 1).get(0)).machineId())
                    .isEqualTo(RegistryFeed.MACHINE);
            await().atMost(Duration.ofSeconds(20)).until(() -> started.sessionsOpened() >= 5);
            assertThat(stopped.sessionsOpened())
                    .as("probes of a stopped machine")
                    .isZero();
            assertThat(TeamProxy.shared().directRequests(team, RegistryFeed.SECOND_MACHINE))
                    .isZero();
            assertThat(TeamProxy.shared().proxiedRequests(team))
                    .as("requests Fly's proxy would count as activity")
                    .isZero();
            assertThat(started.lastForceInstance()).isNull();
        }
    }

    @Test
    void aMachineThatGoesToSleepKeepsItsVerdictIsLeftAloneAndIsCheckedWhenItWakes() throws Exception {
        String team = newTeam("sleeper");
        try (SdkMcpServer server = SdkMcpServer.start(ProbeKeys.SERVICE.tokenFor(team));
                HealthTopic health = new HealthTopic()) {
            serve(team, server.endpoint(team));
            RegistryFeed.entry(team, 1, "ready", RegistryFeed.MACHINE + ":started");
            assertThat(HealthTopic.change(health.await(team, 1).get(0)).status())
                    .isEqualTo(HealthStatus.HEALTHY);

            // autostop suspends the machine: the registry says so, and nothing answers any more
            RegistryFeed.entry(team, 2, "idle", RegistryFeed.MACHINE + ":suspended");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !machine(team).get("probing").asBoolean());
            server.stop();
            int probes = TeamProxy.shared().directRequests(team, RegistryFeed.MACHINE);
            // ten intervals: a probe would have failed three times over, and been published as unhealthy
            await().during(Duration.ofMillis(10 * INTERVAL_MS))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> TeamProxy.shared().directRequests(team, RegistryFeed.MACHINE) == probes);
            JsonNode asleep = machine(team);
            assertThat(asleep.get("status").asString())
                    .as("the last verdict stands")
                    .isEqualTo("healthy");
            assertThat(asleep.get("notProbedBecause").asString()).isEqualTo("machine is suspended");

            // a request wakes it: the registry says started, and the server is checked at the MCP level
            server.restart();
            int sessions = server.sessionsOpened();
            RegistryFeed.entry(team, 3, "ready", RegistryFeed.MACHINE + ":started");
            await().atMost(Duration.ofSeconds(20)).until(() -> server.sessionsOpened() > sessions);
            assertThat(health.drain(team, Duration.ofMillis(1000)))
                    .as("asleep and awake again, the verdict never changed")
                    .hasSize(1);
        }
    }

    @Test
    void aServerThatBreaksWhileAwakeIsUnhealthyAndWhatItSaidIsOneCleanLine() throws Exception {
        String team = newTeam("breaks");
        try (SdkMcpServer server = SdkMcpServer.start(ProbeKeys.SERVICE.tokenFor(team));
                HealthTopic health = new HealthTopic()) {
            serve(team, server.endpoint(team));
            RegistryFeed.entry(team, 1, "ready", RegistryFeed.MACHINE + ":started");
            assertThat(HealthTopic.change(health.await(team, 1).get(0)).status())
                    .isEqualTo(HealthStatus.HEALTHY);

            server.failToolsList("registry broke\r\n2026-11-30 ERROR forged line\u0085\u2028\u202eesrever\u001b[2J");

            HealthChanged unhealthy = HealthTopic.change(health.await(team, 2).get(1));
            assertThat(unhealthy.status()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(unhealthy.consecutiveFailures()).isEqualTo(3);
            assertThat(unhealthy.failure().kind()).isEqualTo(FailureKind.PROTOCOL);
            assertThat(unhealthy.failure().detail())
                    .startsWith("tools/list: ")
                    .contains("registry broke 2026-11-30 ERROR forged line esrever [2J")
                    .doesNotContainPattern("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");
            String shown =
                    machine(team).get("lastProbe").get("failure").get("detail").asString();
            assertThat(shown).doesNotContainPattern("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");

            server.failToolsList(null);
            assertThat(HealthTopic.change(health.await(team, 3).get(2)).status())
                    .isEqualTo(HealthStatus.HEALTHY);
        }
    }

    @Test
    void aServerStillBootingWhenRegisteredIsReadyAtItsFirstAnswerWithoutEverBeingCalledUnhealthy() {
        String team = newTeam("booting");
        try (SdkMcpServer server = SdkMcpServer.start(ProbeKeys.SERVICE.tokenFor(team));
                HealthTopic health = new HealthTopic()) {
            serve(team, server.endpoint(team));
            server.stop();

            RegistryFeed.entry(team, 1, "provisioning", RegistryFeed.MACHINE + ":started");
            // probed at once and again while it boots, each time refused
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> TeamProxy.shared().directRequests(team, RegistryFeed.MACHINE) >= 3);
            server.restart();

            HealthChanged first = HealthTopic.change(health.await(team, 1).get(0));
            assertThat(first.status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(first.consecutiveFailures()).isZero();
            assertThat(health.drain(team, Duration.ofMillis(1000))).hasSize(1);
        }
    }

    @Test
    void aWarmPoolAppIsProbedAtItsOwnMachineAndAnEntryNamingAnotherTeamsAppIsDeadLettered() throws Exception {
        String team = newTeam("pooled");
        String forger = newTeam("forger");
        String poolApp =
                "flotilla-pool-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (SdkMcpServer server = SdkMcpServer.start(ProbeKeys.SERVICE.tokenFor(team));
                PlainHttpServer victim = PlainHttpServer.answering(200, "application/json", "{}");
                HealthTopic health = new HealthTopic();
                TopicProbe deadLetters =
                        TopicProbe.reading(TestKafka.bootstrapServers(), Topics.REGISTRY.deadLetterTopic())) {
            TeamProxy.shared().serveApp(poolApp, server.endpoint(team));
            RegistryFeed.entryInApp(
                    team,
                    poolApp,
                    1,
                    "provisioning",
                    TeamProxy.shared().publicTemplate().replace("{app}", poolApp),
                    RegistryFeed.MACHINE + ":started");

            assertThat(HealthTopic.change(health.await(team, 1).get(0)).status())
                    .isEqualTo(HealthStatus.HEALTHY);
            assertThat(machine(team).get("endpoint").asString())
                    .isEqualTo(TeamProxy.shared()
                            .machineTemplate()
                            .replace("{app}", poolApp)
                            .replace("{machine}", RegistryFeed.MACHINE));

            // another team's entry naming the first team's app: its probes (and its token) would go there
            String teamApp = "flotilla-team-" + team;
            TeamProxy.shared().serve(team, victim.endpoint(team));
            RegistryFeed.entryInApp(
                    forger,
                    teamApp,
                    1,
                    "ready",
                    TeamProxy.shared().publicTemplate().replace("{app}", teamApp),
                    RegistryFeed.MACHINE + ":started");

            String reason = deadLetters.await(record -> forger.equals(record.key()), 1, Duration.ofSeconds(30)).stream()
                    .map(record -> CloudEventCodec.header(record.headers(), DeadLetters.REASON_HEADER)
                            .orElse(""))
                    .findFirst()
                    .orElseThrow();
            assertThat(reason)
                    .isEqualTo("InvalidEventException: app '" + teamApp + "' is neither the team's app flotilla-team-"
                            + forger + " nor a warm-pool app (flotilla-pool-<id>)");
            assertThat(get("/v1/health/" + forger).statusCode()).isEqualTo(404);
            assertThat(victim.requests()).isEmpty();
        }
    }

    private JsonNode machine(String team) throws Exception {
        HttpResponse<String> response = get("/v1/health/" + team);
        return EventJson.MAPPER.readTree(response.body()).get("machines").get(0);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(Operator.get(port, path), HttpResponse.BodyHandlers.ofString());
    }
}
