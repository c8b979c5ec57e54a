package com.employable.flotilla.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.auth.TeamCredentials;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.events.server.ServerDeprovisioned;
import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.common.events.server.ServerResumed;
import com.employable.flotilla.common.events.server.ServerSuspended;
import com.employable.flotilla.common.events.server.ServerUpdated;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.common.events.team.TeamDeleted;
import com.employable.flotilla.common.events.team.TeamPlanChanged;
import com.employable.flotilla.common.events.team.TeamResumed;
import com.employable.flotilla.common.events.team.TeamSuspended;
import com.employable.flotilla.common.kafka.DeadLetters;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.provisioner.fly.FlyModel.CreateMachineRequest;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.fly.FlyModel.MachineConfig;
import com.employable.flotilla.provisioner.reconcile.MachineSpec;
import com.employable.flotilla.provisioner.support.ProvisionerItBase;
import com.employable.flotilla.provisioner.teamdb.TeamDatabaseRoles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Each lifecycle event converges Fly and is announced once, against local-fly, the real broker and PostgreSQL. */
class ProvisioningIT extends ProvisionerItBase {

    @Test
    void aTeamLivesThroughItsWholeLifecycle() {
        String team = newTeamId("life");
        String app = "flotilla-team-" + team;

        publish(new TeamCreated(team, 1, "Life Team", "team", "iad", now()));
        ServerProvisioned provisioned = this.<ServerProvisioned>awaitOutcome(team, ServerProvisioned.TYPE, 1)
                .get(0);
        assertThat(provisioned.app()).isEqualTo(app);
        assertThat(provisioned.network()).isEqualTo(app);
        assertThat(provisioned.endpoint().url()).isEqualTo("https://" + app + ".fly.dev/mcp");
        assertThat(provisioned.endpoint().privateUrl()).isEqualTo("http://" + app + ".flycast/mcp");
        assertThat(provisioned.machines())
                .hasSize(1)
                .allSatisfy(machine -> assertThat(machine.guest().memoryMb()).isEqualTo(512));

        // on Fly: its own network, the derived secrets, a Flycast address in that network, a tagged machine
        assertThat(apps.get(app))
                .hasValueSatisfying(found -> assertThat(found.network()).isEqualTo(app));
        assertThat(secrets.list(app).secrets())
                .extracting(secret -> secret.name())
                .contains("FLOTILLA_TEAM_TOKEN_KEY", "FLOTILLA_PROBE_TOKEN", "FLOTILLA_DATABASE_PASSWORD");
        assertThat(ips.list(app)).anySatisfy(ip -> assertThat(ip.ip()).startsWith("fdaa"));
        List<Machine> running = machines.list(app);
        assertThat(running).singleElement().satisfies(machine -> {
            assertThat(machine.state()).isEqualTo("started");
            assertThat(machine.metadata()).containsEntry(MachineSpec.TEAM, team).containsKey(MachineSpec.CREATE_KEY);
            assertThat(machine.config().env())
                    .containsEntry("FLOTILLA_TEAM_ID", team)
                    .containsEntry("FLOTILLA_DATABASE_USER", TeamDatabaseRoles.roleName(team))
                    .doesNotContainKey("FLOTILLA_TEAM_TOKEN_KEY");
        });
        assertThat(roleExists(team)).isTrue();
        awaitOutcome(team, MachineStateChanged.TYPE, 1);

        publish(new TeamPlanChanged(team, 2, "business", now()));
        ServerUpdated updated =
                this.<ServerUpdated>awaitOutcome(team, ServerUpdated.TYPE, 1).get(0);
        assertThat(updated.machines())
                .hasSize(2)
                .allSatisfy(machine -> assertThat(machine.guest().cpus()).isEqualTo(2));

        publish(new TeamSuspended(team, 3, "billing", now()));
        awaitOutcome(team, ServerSuspended.TYPE, 1);
        assertThat(machines.list(app))
                .allSatisfy(machine -> assertThat(machine.state()).isEqualTo("stopped"));

        publish(new TeamResumed(team, 4, now()));
        awaitOutcome(team, ServerResumed.TYPE, 1);
        assertThat(machines.list(app))
                .hasSize(2)
                .allSatisfy(machine -> assertThat(machine.state()).isEqualTo("started"));

        publish(new TeamDeleted(team, 5, now()));
        ServerDeprovisioned gone = this.<ServerDeprovisioned>awaitOutcome(team, ServerDeprovisioned.TYPE, 1)
                .get(0);
        assertThat(gone.teamRevision()).isEqualTo(5);
        assertThat(apps.get(app)).isEmpty();
        assertThat(roleExists(team)).isFalse();

        // billing sees each machine born and destroyed, and every outcome was announced exactly once
        List<MachineStateChanged> changes = outcomesSoFar(team, MachineStateChanged.TYPE, Duration.ofSeconds(1));
        assertThat(changes)
                .filteredOn(change -> "destroyed".equals(change.to()))
                .hasSize(2);
        assertThat(outcomesSoFar(team, ServerProvisioned.TYPE, Duration.ZERO)).hasSize(1);
        assertThat(outcomesSoFar(team, ServerUpdated.TYPE, Duration.ZERO)).hasSize(1);
    }

    @Test
    void duplicatesAndReplaysChangeNothing() {
        List<String> teams =
                IntStream.range(0, 10).mapToObj(i -> newTeamId("dup" + i)).toList();
        for (int round = 0; round < 2; round++) {
            publish(teams.stream()
                    .map(team -> new TeamCreated(team, 1, team, "starter", "iad", now()))
                    .toArray(TeamCreated[]::new));
        }
        for (String team : teams) {
            awaitOutcome(team, ServerProvisioned.TYPE, 1);
        }
        publish(teams.stream()
                .map(team -> new TeamCreated(team, 1, team, "starter", "iad", now()))
                .toArray(TeamCreated[]::new));
        for (String team : teams) {
            assertThat(machines.list("flotilla-team-" + team)).hasSize(1);
        }
        assertThat(outcomesSoFar(teams.get(0), ServerProvisioned.TYPE, Duration.ofSeconds(3)))
                .hasSize(1);
        await().atMost(CONVERGE)
                .untilAsserted(() -> assertThat(jdbc.sql("select sum(stale_events) from team where team_id in (:ids)")
                                .param("ids", teams)
                                .query(Long.class)
                                .single())
                        .isEqualTo(20L));
    }

    @Test
    void anUpdateThatOvertakesItsCreateStillEndsInTheLatestState() {
        String team = newTeamId("order");
        publish(new TeamPlanChanged(team, 2, "business", now()));
        publish(new TeamCreated(team, 1, "Order Team", "starter", "iad", now()));
        ServerProvisioned provisioned = this.<ServerProvisioned>awaitOutcome(team, ServerProvisioned.TYPE, 1)
                .get(0);
        assertThat(provisioned.machines())
                .hasSize(2)
                .allSatisfy(machine -> assertThat(machine.guest().memoryMb()).isEqualTo(1024));
    }

    @Test
    void driftIsRepairedByTheResync() {
        String team = newTeamId("drift");
        String app = "flotilla-team-" + team;
        publish(new TeamCreated(team, 1, "Drift", "business", "iad", now()));
        awaitOutcome(team, ServerProvisioned.TYPE, 1);
        Machine victim = machines.list(app).get(0);

        // someone deletes a machine behind the platform's back
        machines.destroy(app, victim.id(), null);

        await().atMost(CONVERGE)
                .untilAsserted(() -> assertThat(machines.list(app))
                        .hasSize(2)
                        .noneMatch(machine -> machine.id().equals(victim.id())));
        // billing must learn that the vanished machine stopped costing money
        await().atMost(CONVERGE).untilAsserted(() -> {
            List<MachineStateChanged> changes = outcomesSoFar(team, MachineStateChanged.TYPE, Duration.ofMillis(300));
            assertThat(changes).anySatisfy(change -> {
                assertThat(change.machineId()).isEqualTo(victim.id());
                assertThat(change.to()).isEqualTo("destroyed");
            });
        });
    }

    @Test
    void anAppDeletedBehindThePlatformsBackIsRebuiltWithItsSecrets() {
        String team = newTeamId("gone");
        String app = "flotilla-team-" + team;
        publish(new TeamCreated(team, 1, "Gone", "starter", "iad", now()));
        awaitOutcome(team, ServerProvisioned.TYPE, 1);

        apps.delete(app);

        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(machines.list(app)).hasSize(1);
            assertThat(secrets.list(app).secrets())
                    .extracting(secret -> secret.name())
                    .contains("FLOTILLA_TEAM_TOKEN_KEY", "FLOTILLA_PROBE_TOKEN");
        });
    }

    @Test
    void aProvenOrphanPastTheGraceIsDestroyed() {
        // the sweep refuses to run on an empty team table: make sure this context has a team
        String live = newTeamId("alive");
        publish(new TeamCreated(live, 1, "Alive", "starter", "iad", now()));
        awaitOutcome(live, ServerProvisioned.TYPE, 1);

        String ghost = newTeamId("ghost");
        String orphan = APP_PREFIX + ghost;
        apps.create(orphan, orphan);
        machines.create(
                orphan,
                new CreateMachineRequest(
                        null,
                        "iad",
                        new MachineConfig(
                                "image",
                                null,
                                Map.of(),
                                List.of(),
                                Map.of(),
                                Map.of(MachineSpec.TEAM, ghost),
                                null,
                                false),
                        null,
                        null));
        await().atMost(CONVERGE)
                .untilAsserted(() -> assertThat(apps.get(orphan)).isEmpty());
        assertThat(apps.get(APP_PREFIX + live)).isPresent();
    }

    @Test
    void aTeamIdThatWouldNameAPlatformAppIsDeadLetteredAndTouchesNothing() {
        // the team server image's registry app lives in the org; team id "mcp-server" would name it
        String platform = "flotilla-team-mcp-server";
        apps.create(platform, null);
        try (TopicProbe dlt = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.TEAM_LIFECYCLE_NAME + "-dlt")) {
            publish(
                    new TeamCreated("mcp-server", 1, "Impostor", "starter", "iad", now()),
                    new TeamDeleted("mcp-server", 2, now()));
            var dead = dlt.await(record -> "mcp-server".equals(record.key()), 2, CONVERGE);
            assertThat(dead)
                    .allSatisfy(record -> assertThat(new String(
                                    record.headers()
                                            .lastHeader(DeadLetters.REASON_HEADER)
                                            .value(),
                                    StandardCharsets.UTF_8))
                            .contains("platform app"));
        }
        assertThat(apps.get(platform))
                .hasValueSatisfying(app -> assertThat(app.network()).isEqualTo("default"));
        assertThat(secrets.list(platform).secrets()).isEmpty();
        assertThat(jdbc.sql("select count(*) from team where team_id = 'mcp-server'")
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void teamRegistryServiceNeverTouchesThePlatformsRegistryApp() {
        String platform = "flotilla-registry-service";
        apps.create(platform, null);
        publish(new TeamCreated("registry-service", 1, "Name clash", "starter", "iad", now()));
        ServerProvisioned provisioned = this.<ServerProvisioned>awaitOutcome(
                        "registry-service", ServerProvisioned.TYPE, 1)
                .get(0);
        assertThat(provisioned.app()).isEqualTo(APP_PREFIX + "registry-service");
        publish(new TeamDeleted("registry-service", 2, now()));
        awaitOutcome("registry-service", ServerDeprovisioned.TYPE, 1);
        assertThat(apps.get(platform))
                .hasValueSatisfying(app -> assertThat(app.network()).isEqualTo("default"));
        assertThat(secrets.list(platform).secrets()).isEmpty();
    }

    @Test
    void aTeamWhoseSecretsPredateTheCurrentDerivationGetsTheNewValuesOnItsNextReconcile() {
        String team = newTeamId("derive");
        String app = APP_PREFIX + team;
        publish(new TeamCreated(team, 1, "Derive", "starter", "iad", now()));
        awaitOutcome(team, ServerProvisioned.TYPE, 1);
        // as a provisioner before domain separation left it: other values on Fly, their digest in the row, and a
        // machine configured before this one knew about secrets
        secrets.set(app, Map.of("FLOTILLA_PROBE_TOKEN", "legacy-undomained-probe-token"));
        jdbc.sql("update team set secrets_digest = 'legacy' where team_id = ?")
                .param(team)
                .update();
        Machine before = machines.list(app).get(0);
        var legacyMetadata = new java.util.TreeMap<>(before.metadata());
        legacyMetadata.remove(MachineSpec.SECRETS);
        legacyMetadata.put(MachineSpec.SPEC, "legacy");
        var config = before.config();
        machines.update(
                app,
                before.id(),
                new MachineConfig(
                        config.image(),
                        config.guest(),
                        config.env(),
                        config.services(),
                        config.checks(),
                        legacyMetadata,
                        config.restart(),
                        config.autoDestroy()),
                false,
                null);

        String expected = TeamCredentials.probeToken(TeamCredentials.platformKey(PROBE_KEY, "probe"), team);
        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(digests(app)).containsEntry("FLOTILLA_PROBE_TOKEN", localFlyDigest(expected));
            assertThat(machines.list(app)).singleElement().satisfies(machine -> {
                assertThat(machine.metadata()).containsKey(MachineSpec.SECRETS);
                assertThat(machine.state()).isEqualTo("started");
            });
        });
        assertThat(jdbc.sql("select secrets_digest from team where team_id = ?")
                        .param(team)
                        .query(String.class)
                        .single())
                .isNotEqualTo("legacy");
    }

    /** local-fly's secret digest (as Fly, a digest and never the value): SHA-256, first 16 hex digits. */
    static String localFlyDigest(String value) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(value.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void teamsShareNoNetworkAndNoSecret() {
        String a = newTeamId("iso-a");
        String b = newTeamId("iso-b");
        publish(
                new TeamCreated(a, 1, "A", "starter", "iad", now()),
                new TeamCreated(b, 1, "B", "starter", "iad", now()));
        awaitOutcome(a, ServerProvisioned.TYPE, 1);
        awaitOutcome(b, ServerProvisioned.TYPE, 1);
        String networkA = apps.get("flotilla-team-" + a).orElseThrow().network();
        String networkB = apps.get("flotilla-team-" + b).orElseThrow().network();
        assertThat(networkA).isNotEqualTo(networkB);

        Map<String, String> digestsA = digests("flotilla-team-" + a);
        Map<String, String> digestsB = digests("flotilla-team-" + b);
        assertThat(digestsA.keySet()).isEqualTo(digestsB.keySet());
        digestsA.forEach(
                (name, digest) -> assertThat(digestsB.get(name)).as(name).isNotEqualTo(digest));
    }

    private Map<String, String> digests(String app) {
        var result = new java.util.TreeMap<String, String>();
        secrets.list(app).secrets().forEach(secret -> result.put(secret.name(), secret.digest()));
        return result;
    }

    private boolean roleExists(String team) {
        return jdbc.sql("select count(*) from pg_roles where rolname = ?")
                        .param(TeamDatabaseRoles.roleName(team))
                        .query(Integer.class)
                        .single()
                > 0;
    }
}
