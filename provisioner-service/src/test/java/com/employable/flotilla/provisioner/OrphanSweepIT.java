package com.employable.flotilla.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.testsupport.TestPostgres;
import com.employable.flotilla.provisioner.fly.FlyApps;
import com.employable.flotilla.provisioner.fly.FlyMachines;
import com.employable.flotilla.provisioner.fly.FlyModel.CreateMachineRequest;
import com.employable.flotilla.provisioner.fly.FlyModel.MachineConfig;
import com.employable.flotilla.provisioner.reconcile.MachineSpec;
import com.employable.flotilla.provisioner.reconcile.OrphanSweeper;
import com.employable.flotilla.provisioner.reconcile.OrphanSweeper.SweepResult;
import com.employable.flotilla.provisioner.support.LocalFlyProcess;
import com.employable.flotilla.provisioner.support.ProvisionerInstance;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The orphan sweep in an org that also holds the platform's own apps: a provisioner on an empty database deletes
 * nothing, platform apps and apps that do not prove to be team apps survive every sweep, deletions per sweep are
 * capped, and a proven orphan past the grace is still destroyed.
 */
class OrphanSweepIT {

    private final String org = "sweep-" + UUID.randomUUID().toString().substring(0, 8);
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final FlyApps apps;
    private final FlyMachines machines;

    OrphanSweepIT() {
        var transport = LocalFlyProcess.operatorClient(org);
        apps = new FlyApps(transport);
        machines = new FlyMachines(transport);
    }

    @Test
    void onlyProvenOrphansAreDestroyedAFewAtATimeAndNeverOnAnEmptyDatabase() throws Exception {
        // the platform in the same org: not team app names, whatever their network or machines say
        List<String> platform = List.of("flotilla-health-service", "flotilla-billing-service");
        apps.create(platform.get(0), null);
        apps.create(platform.get(1), platform.get(1));
        machineOf(platform.get(1), "billing-service");
        List<String> kept = List.of(team("kept1"), team("kept2"), team("kept3"));
        List<String> orphans = List.of(team("orph1"), team("orph2"), team("orph3"), team("orph4"));
        for (String app : concat(kept, orphans)) {
            apps.create(app, app);
            machineOf(app, app.substring("flotilla-team-".length()));
        }
        String sharedNetwork = team("fake1");
        apps.create(sharedNetwork, null); // on the org's default network: not how a team app is made
        String foreignMachine = team("fake2");
        apps.create(foreignMachine, foreignMachine);
        machineOf(foreignMachine, "someone-else");

        TestPostgres.TestDatabase database = TestPostgres.newDatabase("orphan_sweep");
        try (ConfigurableApplicationContext provisioner = ProvisionerInstance.start(
                database,
                org,
                Map.of(
                        "flotilla.provisioner.resync-interval", "1h",
                        "flotilla.provisioner.orphan-grace", "1s",
                        "flotilla.provisioner.orphan-max-deletions-per-sweep", "2"))) {
            OrphanSweeper sweeper = provisioner.getBean(OrphanSweeper.class);
            MeterRegistry meters = provisioner.getBean(MeterRegistry.class);

            // an empty (or restored) team table: every sweep refuses, however long the apps have been there
            assertThat(sweeper.sweep().refused()).isTrue();
            await().during(Duration.ofMillis(1_200))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> sweeper.sweep().refused());
            assertThat(meters.counter("flotilla.provisioner.orphan.sweeps.refused")
                            .count())
                    .isGreaterThanOrEqualTo(2);
            assertAllExist(concat(platform, kept, orphans, List.of(sharedNetwork, foreignMachine)));

            JdbcClient jdbc = provisioner.getBean(JdbcClient.class);
            for (String app : kept) {
                String teamId = app.substring("flotilla-team-".length());
                jdbc.sql("insert into team (team_id, revision, plan, region, app_name, create_key, status) "
                                + "values (?, 1, 'starter', 'fra', ?, 'k', 'awaiting-create')")
                        .params(teamId, app)
                        .update();
            }
            for (String extra : List.of("extra1-" + run, "extra2-" + run)) {
                jdbc.sql("insert into team (team_id, revision, plan, region, app_name, create_key, status) "
                                + "values (?, 1, 'starter', 'fra', ?, 'k', 'awaiting-create')")
                        .params(extra, "flotilla-team-" + extra)
                        .update();
            }

            SweepResult first = sweeper.sweep();
            assertThat(first.refused()).isFalse();
            assertThat(first.deleted()).as("all within their grace").isZero();
            // sweeps within the grace delete nothing; the first past it deletes up to the cap
            SweepResult second = await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(sweeper::sweep, result -> result.deleted() > 0);
            assertThat(second.deleted()).isEqualTo(2);
            assertThat(second.capped()).isPositive();
            SweepResult third = sweeper.sweep();
            assertThat(third.deleted()).isEqualTo(2);
            SweepResult fourth = sweeper.sweep();
            assertThat(fourth.deleted()).isZero();
            assertThat(fourth.unproven()).isEqualTo(2);

            for (String orphan : orphans) {
                assertThat(apps.get(orphan)).as(orphan).isEmpty();
            }
            assertAllExist(concat(platform, kept, List.of(sharedNetwork, foreignMachine)));
            assertThat(meters.counter("flotilla.provisioner.orphans", "outcome", "deleted")
                            .count())
                    .isEqualTo(4);
            assertThat(meters.counter("flotilla.provisioner.orphans", "outcome", "capped")
                            .count())
                    .isPositive();
        }
    }

    private String team(String name) {
        return "flotilla-team-" + name + "-" + run;
    }

    private void machineOf(String app, String teamId) {
        machines.create(
                app,
                new CreateMachineRequest(
                        null,
                        "fra",
                        new MachineConfig(
                                "image",
                                null,
                                Map.of(),
                                List.of(),
                                Map.of(),
                                Map.of(MachineSpec.TEAM, teamId),
                                null,
                                false),
                        null,
                        null));
    }

    private void assertAllExist(List<String> names) {
        for (String name : names) {
            assertThat(apps.get(name)).as(name).isPresent();
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
