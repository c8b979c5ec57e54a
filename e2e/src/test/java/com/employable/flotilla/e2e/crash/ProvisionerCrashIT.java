package com.employable.flotilla.e2e.crash;

import static com.employable.flotilla.e2e.support.ServiceProcesses.randomBytes;
import static com.employable.flotilla.e2e.support.ServiceProcesses.randomKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TestPostgres;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.e2e.support.CloudEventRecords;
import com.employable.flotilla.e2e.support.ServiceProcesses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Crash safety: the provisioner process is killed (SIGKILL, no shutdown hooks) while three teams stand at the three
 * dangerous points of provisioning, then started again. local-fly holds one Fly call per team so the kill lands
 * exactly there: the secrets call (the app exists, nothing else does), the IP assignment (app and secrets exist), and
 * the wait for the first machine of a two-machine plan (the machine exists but the provisioner never saw it start).
 * After the restart every team has exactly one app with its secrets and its plan's machines, there is no other app,
 * and {@code server.provisioned} is published once per team.
 */
class ProvisionerCrashIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOKEN = "crash-fly-token";
    /** The team app prefix the provisioner uses by default. */
    private static final String APP_PREFIX = "flotilla-team-";

    private static final Set<String> TEAM_SECRETS = Set.of("FLOTILLA_TEAM_TOKEN_KEY", "FLOTILLA_PROBE_TOKEN");

    private final List<Process> processes = new ArrayList<>();
    private String flyApi;

    @AfterEach
    void stopEverything() {
        processes.forEach(Process::destroyForcibly);
        processes.forEach(process -> process.onExit().join());
    }

    @Test
    void killedAtEachStageOfProvisioningItFinishesEveryTeamExactlyOnceAfterARestart() throws Exception {
        var db = TestPostgres.newDatabase("crash");
        ServiceProcesses.LocalFly fly = ServiceProcesses.startLocalFly("crash-local-fly", "simulated", TOKEN);
        processes.add(fly.process());
        flyApi = fly.apiUrl();

        var env = new LinkedHashMap<String, String>();
        env.put("FLOTILLA_KAFKA_BOOTSTRAP", TestKafka.bootstrapServers());
        env.put("FLOTILLA_DATABASE_URL", db.jdbcUrl());
        env.put("FLOTILLA_DATABASE_USER", db.user());
        env.put("FLOTILLA_DATABASE_PASSWORD", db.password());
        env.put("FLOTILLA_GATEWAY_KEY", randomKey());
        env.put("FLOTILLA_PROBE_KEY", randomKey());
        env.put("FLOTILLA_TEAM_DB_KEY", randomKey());
        env.put("FLOTILLA_FLY_API_URL", flyApi);
        env.put("FLY_API_TOKEN", TOKEN);
        env.put("FLOTILLA_FLY_ORG", "crash-" + HexFormat.of().formatHex(randomBytes(3)));

        String suffix = HexFormat.of().formatHex(randomBytes(3));
        String afterApp = "crash-app-" + suffix;
        String afterSecrets = "crash-secrets-" + suffix;
        String beforeWait = "crash-wait-" + suffix;
        Map<String, String> plans = Map.of(afterApp, "starter", afterSecrets, "team", beforeWait, "business");
        hold("POST", ".*/apps/" + APP_PREFIX + afterApp + "/secrets");
        hold("GET", ".*/apps/" + APP_PREFIX + afterSecrets + "/ip_assignments");
        hold("GET", ".*/apps/" + APP_PREFIX + beforeWait + "/machines/[^/]+/wait");

        try (var outcomes = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.SERVER_LIFECYCLE_NAME)) {
            Process provisioner = startProvisioner(env, "crash-provisioner-1");
            TopicProbe.send(
                    TestKafka.bootstrapServers(),
                    plans.entrySet().stream()
                            .map(team -> CloudEventRecords.teamCreated(team.getKey(), "Crash", team.getValue(), "iad"))
                            .toList());

            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> firedHolds() == 3);
            // the state the kill leaves behind: each team stopped exactly where its hold is
            assertThat(secretNames(APP_PREFIX + afterApp)).isEmpty();
            assertThat(secretNames(APP_PREFIX + afterSecrets)).containsAll(TEAM_SECRETS);
            // addresses and the machine go out together once secrets exist: the machine may be there or not yet
            assertThat(machines(APP_PREFIX + afterSecrets)).hasSizeLessThanOrEqualTo(1);
            assertThat(machines(APP_PREFIX + beforeWait)).hasSize(1);
            provisioner.destroyForcibly().onExit().join();
            release();

            startProvisioner(env, "crash-provisioner-2");
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(provisionedTeams(outcomes)).containsAll(plans.keySet()));
            // give a duplicate every chance to show up before counting
            List<ConsumerRecord<String, byte[]>> all =
                    outcomes.drain(record -> plans.containsKey(record.key()), Duration.ofSeconds(5));
            assertThat(all.stream()
                            .filter(ProvisionerCrashIT::isProvisioned)
                            .map(ConsumerRecord::key)
                            .toList())
                    .as("server.provisioned once per team")
                    .containsExactlyInAnyOrderElementsOf(plans.keySet());
        }

        assertThat(appNames(env.get("FLOTILLA_FLY_ORG")))
                .as("one app per team and no orphans")
                .containsExactlyInAnyOrder(APP_PREFIX + afterApp, APP_PREFIX + afterSecrets, APP_PREFIX + beforeWait);
        for (var team : plans.entrySet()) {
            String app = APP_PREFIX + team.getKey();
            assertThat(secretNames(app)).as(app + " secrets").containsAll(TEAM_SECRETS);
            List<JsonNode> machines = machines(app);
            assertThat(machines).as(app + " machines").hasSize("business".equals(team.getValue()) ? 2 : 1);
            assertThat(machines).allSatisfy(machine -> {
                assertThat(machine.path("config")
                                .path("metadata")
                                .path("flotilla_team")
                                .asString())
                        .isEqualTo(team.getKey());
                assertThat(machine.path("state").asString()).isIn("started", "stopped", "suspended");
            });
        }
    }

    private Process startProvisioner(Map<String, String> env, String logName) throws IOException {
        Process process = ServiceProcesses.startService(
                        logName, ServiceProcesses.jar("provisioner-service"), List.of(), env)
                .process();
        processes.add(process);
        return process;
    }

    private static boolean isProvisioned(ConsumerRecord<String, byte[]> record) {
        return CloudEventRecords.type(record)
                .filter(ServerProvisioned.TYPE::equals)
                .isPresent();
    }

    private static Set<String> provisionedTeams(TopicProbe outcomes) {
        var teams = new TreeSet<String>();
        outcomes.drain(ProvisionerCrashIT::isProvisioned, Duration.ofMillis(200))
                .forEach(record -> teams.add(record.key()));
        return teams;
    }

    /** local-fly holds matching calls for two minutes: the provisioner is stuck there until killed. */
    private void hold(String method, String pathRegex) throws Exception {
        JsonNode rule = admin("POST", "/_admin/faults", """
                {"method": "%s", "path": "%s", "kind": "timeout", "latency_ms": 120000}""".formatted(method, pathRegex));
        assertThat(rule.path("id").asString()).isNotBlank();
    }

    private long firedHolds() throws Exception {
        long fired = 0;
        for (JsonNode rule : admin("GET", "/_admin/faults", null).path("rules")) {
            fired += rule.path("fired").asLong() > 0 ? 1 : 0;
        }
        return fired;
    }

    private void release() throws Exception {
        admin("DELETE", "/_admin/faults", null);
    }

    private List<String> appNames(String org) throws Exception {
        var names = new ArrayList<String>();
        fly("/v1/apps?org_slug=" + org)
                .path("apps")
                .forEach(app -> names.add(app.path("name").asString()));
        return names;
    }

    private List<String> secretNames(String app) throws Exception {
        var names = new ArrayList<String>();
        fly("/v1/apps/" + app + "/secrets")
                .path("secrets")
                .forEach(s -> names.add(s.path("name").asString()));
        return names;
    }

    private List<JsonNode> machines(String app) throws Exception {
        var machines = new ArrayList<JsonNode>();
        fly("/v1/apps/" + app + "/machines").forEach(machines::add);
        return machines;
    }

    private JsonNode fly(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(flyApi + path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return CloudEventRecords.JSON.readTree(response.body());
    }

    private JsonNode admin(String method, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(flyApi + path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(200, 299);
        return response.body().isBlank()
                ? CloudEventRecords.JSON.createObjectNode()
                : CloudEventRecords.JSON.readTree(response.body());
    }
}
