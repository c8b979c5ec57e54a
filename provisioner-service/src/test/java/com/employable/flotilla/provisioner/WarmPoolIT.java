package com.employable.flotilla.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.common.events.team.TeamDeleted;
import com.employable.flotilla.common.events.team.TeamLifecycleEvent;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TestPostgres;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.provisioner.fly.FlyApps;
import com.employable.flotilla.provisioner.fly.FlyMachines;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.fly.FlySecrets;
import com.employable.flotilla.provisioner.reconcile.MachineSpec;
import com.employable.flotilla.provisioner.support.LocalFlyProcess;
import com.employable.flotilla.provisioner.support.ProvisionerInstance;
import com.employable.flotilla.provisioner.team.DesiredStateService;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The warm pool end to end against local-fly and PostgreSQL: the pool fills with checked, suspended entries; a new
 * team claims one by exec and runs in it with its own identity and secrets, announced with that app; the pool refills; a team
 * in a region without a pool falls back to a cold create (counted); a deleted team's pool app is destroyed, never
 * returned.
 */
class WarmPoolIT {

    private static final Duration CONVERGE = Duration.ofSeconds(60);

    private final String org = "pool-" + UUID.randomUUID().toString().substring(0, 8);
    private final FlyApps apps;
    private final FlyMachines machines;
    private final FlySecrets secrets;

    WarmPoolIT() {
        var transport = LocalFlyProcess.operatorClient(org);
        apps = new FlyApps(transport);
        machines = new FlyMachines(transport);
        secrets = new FlySecrets(transport);
    }

    @Test
    void aNewTeamClaimsAWarmAppRunsInItAsItselfAndTheAppDiesWithTheTeam() {
        var database = TestPostgres.newDatabase("warm_pool");
        String run = UUID.randomUUID().toString().substring(0, 6);
        String team = "warm-" + run;
        String coldTeam = "cold-" + run;
        try (ConfigurableApplicationContext provisioner = ProvisionerInstance.start(
                        database,
                        org,
                        Map.of(
                                "flotilla.provisioner.pool.enabled", "true",
                                "flotilla.provisioner.pool.targets.iad", "2",
                                "flotilla.provisioner.pool.tick", "200ms",
                                "flotilla.provisioner.resync-interval", "2s"));
                var outcomes = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.SERVER_LIFECYCLE_NAME)) {
            JdbcClient jdbc = provisioner.getBean(JdbcClient.class);
            await().atMost(CONVERGE).until(() -> ready(jdbc).size() == 2);
            String pooledMachine = ready(jdbc).get(0);

            apply(provisioner, new TeamCreated(team, 1, "Warm", "starter", "iad", Instant.now()));

            String app = jdbc.sql("select app_name from team where team_id = ?")
                    .param(team)
                    .query(String.class)
                    .single();
            assertThat(app).startsWith("flotilla-pool-");
            await().atMost(CONVERGE).until(() -> "ready".equals(status(jdbc, team)));
            var provisioned = outcomes.await(
                            record -> team.equals(record.key())
                                    && CloudEventCodec.header(record.headers(), "ce_type")
                                            .map(ServerProvisioned.TYPE::equals)
                                            .orElse(false),
                            1,
                            CONVERGE)
                    .get(0);
            @SuppressWarnings("unchecked")
            var event =
                    ((EventEnvelope<ServerProvisioned>) (EventEnvelope<?>) CloudEventCodec.decode(provisioned)).data();
            assertThat(event.app()).isEqualTo(app);
            assertThat(event.endpoint().url()).isEqualTo("https://" + app + ".fly.dev/mcp");

            // the warm machine itself is now the team's, claimed by exec (resumed, its identity written into it): its
            // tag and create key, the pool's config still (no update, no restart), its secrets, no second machine
            List<Machine> running = machines.list(app);
            assertThat(running).singleElement().satisfies(machine -> {
                assertThat(machine.state()).isEqualTo("started");
                assertThat(machine.metadata())
                        .containsEntry(MachineSpec.TEAM, team)
                        .containsKey(MachineSpec.CREATE_KEY)
                        .containsKey(MachineSpec.POOL);
                assertThat(machine.config().env().get("FLOTILLA_TEAM_ID")).startsWith("pool-");
            });
            assertThat(pooledMachine).isNotNull();
            assertThat(secrets.list(app).secrets())
                    .extracting(secret -> secret.name())
                    .contains("FLOTILLA_TEAM_TOKEN_KEY", "FLOTILLA_PROBE_TOKEN");
            // billing meters the claimed machine as the team's, in the app the provisioner reported
            assertThat(jdbc.sql("select app_name from machine_observed where team_id = ?")
                            .param(team)
                            .query(String.class)
                            .list())
                    .containsOnly(app);
            // the claim was taken from the pool, which refills
            await().atMost(CONVERGE).until(() -> ready(jdbc).size() == 2);

            // no pool in syd (another residency group): a cold create, counted as an empty claim
            apply(provisioner, new TeamCreated(coldTeam, 1, "Cold", "starter", "syd", Instant.now()));
            await().atMost(CONVERGE).until(() -> "ready".equals(status(jdbc, coldTeam)));
            assertThat(apps.get("flotilla-team-" + coldTeam)).isPresent();
            MeterRegistry meters = provisioner.getBean(MeterRegistry.class);
            assertThat(meters.get("flotilla.provisioner.pool.claims")
                            .tag("outcome", "empty")
                            .counter()
                            .count())
                    .isEqualTo(1);

            apply(provisioner, new TeamDeleted(team, 2, Instant.now()));
            await().atMost(CONVERGE).until(() -> "deleted".equals(status(jdbc, team)));
            assertThat(apps.get(app)).isEmpty();
            assertThat(jdbc.sql("select count(*) from pool_entry where app_name = ?")
                            .param(app)
                            .query(Integer.class)
                            .single())
                    .as("never returned to the pool")
                    .isZero();
        }
    }

    private static List<String> ready(JdbcClient jdbc) {
        return jdbc.sql("select machine_id from pool_entry where state = 'ready'")
                .query(String.class)
                .list();
    }

    private static String status(JdbcClient jdbc, String team) {
        return jdbc.sql("select status from team where team_id = ?")
                .param(team)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    private static void apply(ConfigurableApplicationContext provisioner, TeamLifecycleEvent event) {
        @SuppressWarnings("unchecked")
        var envelope = (EventEnvelope<TeamLifecycleEvent>)
                (EventEnvelope<?>) new CloudEventCodec("employable/test").envelope(Topics.TEAM_LIFECYCLE, event);
        provisioner.getBean(DesiredStateService.class).apply(envelope);
    }
}
