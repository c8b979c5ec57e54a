package com.employable.flotilla.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.auth.TeamCredentials;
import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.common.events.team.TeamLifecycleEvent;
import com.employable.flotilla.common.testsupport.TestPostgres;
import com.employable.flotilla.provisioner.fly.FlyMachines;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.fly.FlySecrets;
import com.employable.flotilla.provisioner.reconcile.MachineSpec;
import com.employable.flotilla.provisioner.support.LocalFlyProcess;
import com.employable.flotilla.provisioner.support.ProvisionerInstance;
import com.employable.flotilla.provisioner.team.DesiredStateService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Rotating the probe key as the runbook says: restart the provisioner with the new key and the old one as
 * FLOTILLA_PROBE_KEY_PREVIOUS; the resync rewrites every team's probe token and keeps the previous one alongside (so
 * probes signed either way pass while health-service moves over), and updates each machine so it runs with them. Then
 * restart without the previous key: the resync removes it everywhere.
 */
class KeyRotationIT {

    private static final String OLD_PROBE = "cm90YXRpb24tb2xkLXByb2JlLWtleS0wMTIzNDU2Nzg5YWJjZA==";
    private static final String NEW_PROBE = "cm90YXRpb24tbmV3LXByb2JlLWtleS0wMTIzNDU2Nzg5YWJjZA==";
    private static final Duration CONVERGE = Duration.ofSeconds(60);

    private final String org = "rotation-" + UUID.randomUUID().toString().substring(0, 8);
    private final FlySecrets secrets;
    private final FlyMachines machines;

    KeyRotationIT() {
        var transport = LocalFlyProcess.operatorClient(org);
        secrets = new FlySecrets(transport);
        machines = new FlyMachines(transport);
    }

    @Test
    void rotatingTheProbeKeyRewritesEveryTeamsProbeTokenKeepingThePreviousUntilItIsDropped() {
        TestPostgres.TestDatabase database = TestPostgres.newDatabase("key_rotation");
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> teams = List.of("rot-a-" + run, "rot-b-" + run);
        Map<String, String> machineSecrets = new TreeMap<>();

        try (var before = start(database, OLD_PROBE, null)) {
            var desired = before.getBean(DesiredStateService.class);
            var codec = new CloudEventCodec("employable/test");
            for (String team : teams) {
                @SuppressWarnings("unchecked")
                var envelope = (EventEnvelope<TeamLifecycleEvent>) (EventEnvelope<?>) codec.envelope(
                        Topics.TEAM_LIFECYCLE, new TeamCreated(team, 1, team, "starter", "fra", Instant.now()));
                desired.apply(envelope);
            }
            awaitReady(before, teams);
            for (String team : teams) {
                assertThat(digests(team))
                        .containsEntry("FLOTILLA_PROBE_TOKEN", digest(OLD_PROBE, team))
                        .doesNotContainKey("FLOTILLA_PROBE_TOKEN_PREVIOUS");
                machineSecrets.put(team, machine(team).metadata().get(MachineSpec.SECRETS));
            }
        }

        try (var rotating = start(database, NEW_PROBE, OLD_PROBE)) {
            await().atMost(CONVERGE).untilAsserted(() -> {
                for (String team : teams) {
                    assertThat(digests(team))
                            .containsEntry("FLOTILLA_PROBE_TOKEN", digest(NEW_PROBE, team))
                            .containsEntry("FLOTILLA_PROBE_TOKEN_PREVIOUS", digest(OLD_PROBE, team));
                    // the machine was updated (Fly restarts it with the app's current secrets) and runs
                    Machine machine = machine(team);
                    assertThat(machine.metadata().get(MachineSpec.SECRETS)).isNotEqualTo(machineSecrets.get(team));
                    assertThat(machine.state()).isEqualTo("started");
                }
            });
            awaitReady(rotating, teams);
        }

        try (var after = start(database, NEW_PROBE, null)) {
            await().atMost(CONVERGE).untilAsserted(() -> {
                for (String team : teams) {
                    assertThat(digests(team))
                            .containsEntry("FLOTILLA_PROBE_TOKEN", digest(NEW_PROBE, team))
                            .doesNotContainKey("FLOTILLA_PROBE_TOKEN_PREVIOUS");
                    assertThat(machine(team).state()).isEqualTo("started");
                }
            });
            awaitReady(after, teams);
        }
    }

    private ConfigurableApplicationContext start(
            TestPostgres.TestDatabase database, String probeKey, String previousProbeKey) {
        var settings = new java.util.HashMap<String, Object>(Map.of(
                "flotilla.provisioner.probe-key", probeKey,
                "flotilla.provisioner.resync-interval", "1s",
                "flotilla.provisioner.public-ips", "false"));
        if (previousProbeKey != null) {
            settings.put("flotilla.provisioner.probe-key-previous", previousProbeKey);
        }
        return ProvisionerInstance.start(database, org, settings);
    }

    private static void awaitReady(ConfigurableApplicationContext provisioner, List<String> teams) {
        JdbcClient jdbc = provisioner.getBean(JdbcClient.class);
        await().atMost(CONVERGE)
                .untilAsserted(() -> assertThat(
                                jdbc.sql("select count(*) from team where team_id in (:teams) and status = 'ready'")
                                        .param("teams", teams)
                                        .query(Integer.class)
                                        .single())
                        .isEqualTo(teams.size()));
    }

    private Machine machine(String team) {
        List<Machine> found = machines.list("flotilla-team-" + team);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private Map<String, String> digests(String team) {
        var result = new TreeMap<String, String>();
        secrets.list("flotilla-team-" + team).secrets().forEach(secret -> result.put(secret.name(), secret.digest()));
        return result;
    }

    private static String digest(String probeKey, String team) {
        String token = TeamCredentials.probeToken(TeamCredentials.platformKey(probeKey, "probe"), team);
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(token.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
