package com.employable.flotilla.e2e.rotation;

import static com.employable.flotilla.e2e.support.ServiceProcesses.randomBytes;
import static com.employable.flotilla.e2e.support.ServiceProcesses.randomKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TestPostgres;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.e2e.support.CloudEventRecords;
import com.employable.flotilla.e2e.support.ServiceProcesses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The probe key rotation of docs/security-review.md §7, run on the packaged platform with real team servers: the
 * provisioner moves to a new key keeping the old one as previous, health moves over, the provisioner drops the
 * previous key. Through all of it every probe of every team succeeds and no team is ever reported unhealthy.
 */
class ProbeKeyRotationIT {

    private static final String FLY_TOKEN = "rotation-fly-token";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<Process> processes = new ArrayList<>();

    private final Map<String, String> platform = new LinkedHashMap<>();

    private final String gatewayKey = randomKey();

    private final String teamDbKey = randomKey();

    private String flyApi;

    private ServiceProcesses.Service health;

    @AfterEach
    void stopEverything() {
        processes.forEach(Process::destroy);
        processes.forEach(process -> process.onExit().join());
    }

    @Test
    void rotatingTheProbeKeyNeverMakesATeamUnhealthy() throws Exception {
        String oldKey = randomKey();
        String newKey = randomKey();
        String run = HexFormat.of().formatHex(randomBytes(3));
        List<String> teams = List.of("rotate-a-" + run, "rotate-b-" + run);
        startInfrastructure();

        try (var healthTopic = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.HEALTH_NAME)) {
            Process provisioner = startProvisioner(oldKey, null);
            health = startHealth(oldKey);
            TopicProbe.send(
                    TestKafka.bootstrapServers(),
                    teams.stream()
                            .map(team -> CloudEventRecords.teamCreated(team, team, "starter", "fra"))
                            .toList());
            awaitProbedSince(teams, Instant.EPOCH);

            // 1. the provisioner takes the new key, keeping the old one as previous: every team's secrets and machines
            // roll while health still probes with the old key
            provisioner.destroy();
            provisioner.onExit().join();
            provisioner = startProvisioner(newKey, oldKey);
            awaitSecrets(teams, true);
            awaitProbedSince(teams, Instant.now());

            // 2. health moves to the new key
            health.process().destroy();
            health.process().onExit().join();
            health = startHealth(newKey);
            awaitProbedSince(teams, Instant.now());

            // 3. the provisioner drops the previous key: the previous token goes, machines roll again
            provisioner.destroy();
            provisioner.onExit().join();
            startProvisioner(newKey, null);
            awaitSecrets(teams, false);
            awaitProbedSince(teams, Instant.now());

            List<HealthChanged> verdicts =
                    healthTopic.drain(record -> teams.contains(record.key()), Duration.ofSeconds(3)).stream()
                            .map(ProbeKeyRotationIT::healthChanged)
                            .toList();
            assertThat(verdicts)
                    .as("health verdicts through the rotation")
                    .noneMatch(verdict -> verdict.status() == HealthStatus.UNHEALTHY);
            assertThat(verdicts)
                    .as("each team was found healthy before the rotation")
                    .filteredOn(verdict -> verdict.status() == HealthStatus.HEALTHY)
                    .extracting(HealthChanged::teamId)
                    .containsAll(teams);
        }
    }

    private void startInfrastructure() throws Exception {
        var db = TestPostgres.newDatabase("rotation");
        ServiceProcesses.LocalFly fly = ServiceProcesses.startLocalFly("rotation-fly", "process", FLY_TOKEN);
        processes.add(fly.process());
        flyApi = fly.apiUrl();

        platform.put("FLOTILLA_KAFKA_BOOTSTRAP", TestKafka.bootstrapServers());
        platform.put("FLOTILLA_DATABASE_URL", db.jdbcUrl());
        platform.put("FLOTILLA_DATABASE_USER", db.user());
        platform.put("FLOTILLA_DATABASE_PASSWORD", db.password());
        platform.put("FLOTILLA_ENDPOINT_URL_TEMPLATE", fly.endpointTemplate());
        platform.put("FLOTILLA_PRIVATE_ENDPOINT_URL_TEMPLATE", fly.endpointTemplate());
        platform.put("FLOTILLA_MACHINE_URL_TEMPLATE", fly.machineTemplate());
        platform.put("FLOTILLA_HEALTH_INTERVAL", "2s");

        var registry = new LinkedHashMap<>(platform);
        registry.put("FLOTILLA_GATEWAY_KEY", gatewayKey);
        registry.put("FLOTILLA_JWT_HS256_SECRET", randomKey());
        registry.put("FLOTILLA_JWT_ISSUER", "flotilla-e2e");
        registry.put("FLOTILLA_JWT_AUDIENCE", "flotilla");
        processes.add(ServiceProcesses.startService(
                        "rotation-registry", ServiceProcesses.jar("registry-service"), List.of(), registry)
                .process());
    }

    private Process startProvisioner(String probeKey, String previousProbeKey) throws Exception {
        var env = new LinkedHashMap<>(platform);
        env.put("FLOTILLA_PROBE_KEY", probeKey);
        if (previousProbeKey != null) {
            env.put("FLOTILLA_PROBE_KEY_PREVIOUS", previousProbeKey);
        }
        env.put("FLOTILLA_GATEWAY_KEY", gatewayKey);
        env.put("FLOTILLA_TEAM_DB_KEY", teamDbKey);
        env.put("FLOTILLA_FLY_API_URL", flyApi);
        env.put("FLY_API_TOKEN", FLY_TOKEN);
        env.put("FLOTILLA_FLY_ORG", "rotation");
        env.put("FLOTILLA_PROVISIONER_RESYNCINTERVAL", "2s");
        Process process = ServiceProcesses.startService(
                        "rotation-provisioner", ServiceProcesses.jar("provisioner-service"), List.of(), env)
                .process();
        processes.add(process);
        return process;
    }

    private ServiceProcesses.Service startHealth(String probeKey) throws Exception {
        var env = new LinkedHashMap<>(platform);
        env.put("FLOTILLA_PROBE_KEY", probeKey);
        ServiceProcesses.Service service = ServiceProcesses.startService(
                "rotation-health", ServiceProcesses.jar("health-service"), List.of(), env);
        processes.add(service.process());
        return service;
    }

    /** Every machine of every team was probed successfully after {@code since}, and none is unhealthy. */
    private void awaitProbedSince(List<String> teams, Instant since) {
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    for (String team : teams) {
                        HttpResponse<String> response = HTTP.send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + health.port() + "/v1/health/" + team))
                                        .header("Authorization", "Bearer " + ServiceProcesses.OPERATOR_TOKEN)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).as(team).isEqualTo(200);
                        JsonNode machines =
                                CloudEventRecords.JSON.readTree(response.body()).path("machines");
                        assertThat(machines.size()).as(team + " machines").isPositive();
                        for (JsonNode machine : machines) {
                            assertThat(machine.path("status").asString())
                                    .as(team)
                                    .isNotEqualTo("unhealthy");
                            JsonNode probe = machine.path("lastProbe");
                            assertThat(probe.path("ok").asBoolean())
                                    .as(team + " last probe: " + probe)
                                    .isTrue();
                            assertThat(Instant.parse(probe.path("checkedAt").asString()))
                                    .as(team)
                                    .isAfter(since);
                        }
                    }
                });
    }

    /** Every team app holds the previous probe token (or no longer does) and its machines run again. */
    private void awaitSecrets(List<String> teams, boolean withPrevious) {
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    for (String team : teams) {
                        String app = "flotilla-team-" + team;
                        List<String> names = new ArrayList<>();
                        fly("/v1/apps/" + app + "/secrets")
                                .path("secrets")
                                .forEach(secret -> names.add(secret.path("name").asString()));
                        assertThat(names.contains("FLOTILLA_PROBE_TOKEN_PREVIOUS"))
                                .as(app)
                                .isEqualTo(withPrevious);
                        for (JsonNode machine : fly("/v1/apps/" + app + "/machines")) {
                            assertThat(machine.path("state").asString()).as(app).isEqualTo("started");
                        }
                    }
                });
    }

    private JsonNode fly(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(flyApi + path))
                        .header("Authorization", "Bearer " + FLY_TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return CloudEventRecords.JSON.readTree(response.body());
    }

    private static HealthChanged healthChanged(ConsumerRecord<String, byte[]> record) {
        return (HealthChanged) CloudEventRecords.data(Topics.HEALTH, record);
    }
}
