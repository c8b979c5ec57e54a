package com.employable.flotilla.provisioner.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.pool.PoolEntry.State;
import com.employable.flotilla.provisioner.reconcile.MachineSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pool against a real PostgreSQL and the in-memory Fly: build and check, claim, fall back, recycle, sweep. */
class WarmPoolTest {

    @Test
    void refillBuildsCheckedSuspendedEntriesUpToTheTargetWithNoTeamInThem() {
        var pool = new PoolFixture(Map.of("fra", 2));

        pool.maintain();

        List<PoolEntry> ready = pool.entries(State.READY);
        assertThat(ready).hasSize(2).allSatisfy(entry -> {
            assertThat(entry.region()).isEqualTo("fra");
            assertThat(entry.image()).isEqualTo("image-a");
            String app = entry.appName();
            assertThat(app).startsWith("flotilla-pool-");
            assertThat(pool.fly.apps.get(app).network()).isEqualTo(app);
            assertThat(pool.fly.ips.get(app))
                    .as("only its private address until a team claims it")
                    .singleElement()
                    .satisfies(ip -> assertThat(ip.type()).isEqualTo("private_v6"));
            assertThat(pool.fly.machinesOf(app)).singleElement().satisfies(machine -> {
                assertThat(machine.id()).isEqualTo(entry.machineId());
                assertThat(machine.state()).isEqualTo("suspended");
                assertThat(machine.metadata())
                        .containsEntry(MachineSpec.POOL, entry.id())
                        .doesNotContainKey(MachineSpec.TEAM);
                assertThat(machine.config().env())
                        .containsEntry("FLOTILLA_TEAM_ID", "pool-" + entry.id())
                        .containsKey("FLOTILLA_IDENTITY_FILE");
                assertThat(machine.metadata()).containsEntry(MachineSpec.POOL_PLAN, "starter");
                assertThat(machine.config().services())
                        .as("the pool plan's MCP service, so a claim by exec leaves it serving")
                        .singleElement()
                        .satisfies(service -> assertThat(service.internalPort()).isEqualTo(8080));
                String checkToken = machine.config().env().get("FLOTILLA_CHECK_TOKEN");
                assertThat(checkToken)
                        .as("a check token of the machine's own, not derived from any probe token")
                        .hasSizeGreaterThanOrEqualTo(16);
                assertThat(machine.config().checks())
                        .as("the mcp check the health-service's fly-checks mode reads once a team claims it by exec")
                        .containsKey(MachineSpec.MCP_CHECK);
                var check = machine.config().checks().get(MachineSpec.MCP_CHECK);
                assertThat(check.path()).isEqualTo("/healthz/mcp");
                assertThat(check.headers())
                        .singleElement()
                        .satisfies(header -> assertThat(header.values()).containsExactly("Bearer " + checkToken));
            });
        });
        assertThat(ready.stream()
                        .map(entry -> pool.fly
                                .machinesOf(entry.appName())
                                .get(0)
                                .config()
                                .env()
                                .get("FLOTILLA_CHECK_TOKEN"))
                        .distinct())
                .as("each machine's check token is its own")
                .hasSize(2);
        // its first check ran in the machine while it was started, then it was suspended
        assertThat(pool.fly.calls)
                .filteredOn(call -> call.startsWith("POST exec"))
                .hasSize(2);

        pool.fly.calls.clear();
        pool.maintain();
        assertThat(pool.fly.mutations()).as("target met: nothing built").isEmpty();
    }

    @Test
    void anEntryFailingItsFirstCheckIsDestroyedAndReplacedNeverClaimed() {
        var pool = new PoolFixture(Map.of("fra", 1));
        pool.fly.execFails.add("m1");

        pool.maintain();

        assertThat(pool.entries(State.READY)).isEmpty();
        assertThat(pool.fly.apps).as("its app was deleted").isEmpty();
        assertThat(pool.warm.claim("team-a", "fra"))
                .as("an empty pool: cold create")
                .isEmpty();
        assertThat(pool.claims("empty")).isEqualTo(1);

        pool.maintain();
        assertThat(pool.entries(State.READY))
                .singleElement()
                .satisfies(entry -> assertThat(entry.machineId()).isEqualTo("m2"));
        assertThat(pool.warm.claim("team-a", "fra")).isPresent();
        assertThat(pool.claims("claimed")).isEqualTo(1);
    }

    @Test
    void aMachineThatNeverStartsIsDiscardedToo() {
        var pool = new PoolFixture(Map.of("fra", 1));
        pool.fly.startSlowly();

        pool.maintain();

        assertThat(pool.entries(State.READY)).isEmpty();
        assertThat(pool.fly.apps).isEmpty();
        assertThat(pool.jdbc
                        .sql("select count(*) from pool_entry")
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void concurrentClaimsNeverShareAnEntry() throws Exception {
        var pool = new PoolFixture(Map.of("fra", 3));
        pool.maintain();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        var start = new CountDownLatch(1);
        var claims = new ArrayList<Future<Optional<String>>>();
        for (int i = 0; i < 8; i++) {
            String team = "team-" + i;
            claims.add(threads.submit(() -> {
                start.await();
                return pool.transactions.execute(status -> pool.warm.claim(team, "fra"));
            }));
        }
        start.countDown();
        var apps = new ArrayList<String>();
        for (Future<Optional<String>> claim : claims) {
            claim.get(30, TimeUnit.SECONDS).ifPresent(apps::add);
        }
        threads.shutdown();

        assertThat(apps).hasSize(3).doesNotHaveDuplicates();
        assertThat(new HashSet<>(apps))
                .isEqualTo(new HashSet<>(pool.entries(State.CLAIMED).stream()
                        .map(PoolEntry::appName)
                        .toList()));
        assertThat(pool.claims("empty")).isEqualTo(5);
    }

    @Test
    void aClaimPrefersTheTeamsRegionThenItsGroupAndNeverLeavesTheGroup() {
        var pool = new PoolFixture(Map.of("fra", 1, "ams", 1, "iad", 1));
        pool.maintain();

        assertThat(pool.warm.claim("a", "ams"))
                .hasValueSatisfying(app -> assertThat(region(pool, app)).isEqualTo("ams"));
        assertThat(pool.warm.claim("b", "ams"))
                .hasValueSatisfying(app -> assertThat(region(pool, app)).isEqualTo("fra"));
        assertThat(pool.warm.claim("c", "ams"))
                .as("iad is in another residency group")
                .isEmpty();
    }

    @Test
    void aClaimRolledBackWithItsTeamLeavesTheEntryReady() {
        var pool = new PoolFixture(Map.of("fra", 1));
        pool.maintain();

        pool.transactions.executeWithoutResult(status -> {
            assertThat(pool.warm.claim("a", "fra")).isPresent();
            status.setRollbackOnly();
        });

        assertThat(pool.entries(State.READY)).hasSize(1);
        assertThat(pool.warm.claim("b", "fra")).isPresent();
        assertThat(pool.entries(State.CLAIMED))
                .singleElement()
                .satisfies(entry -> assertThat(entry.teamId()).isEqualTo("b"));
    }

    @Test
    void anImageChangeRecyclesReadyEntriesAndLeavesClaimedOnesToTheirTeams() {
        var pool = new PoolFixture(Map.of("fra", 2));
        pool.maintain();
        String claimed = pool.warm.claim("a", "fra").orElseThrow();

        pool.withImage("image-b").maintain();

        assertThat(pool.entries(State.READY))
                .hasSize(2)
                .allSatisfy(entry -> assertThat(entry.image()).isEqualTo("image-b"));
        assertThat(pool.entries(State.CLAIMED))
                .singleElement()
                .satisfies(entry -> assertThat(entry.appName()).isEqualTo(claimed));
        // the old unclaimed entry's app is gone; the claimed one and the two new ones remain
        assertThat(pool.fly.apps).hasSize(3).containsKey(claimed);
        assertThat(pool.warm.claim("b", "fra"))
                .hasValueSatisfying(app -> assertThat(
                                pool.fly.machinesOf(app).get(0).config().image())
                        .isEqualTo("image-b"));
    }

    @Test
    void aReadyEntryWhoseMachineWentAwayIsReplaced() {
        var pool = new PoolFixture(Map.of("fra", 1));
        pool.maintain();
        PoolEntry entry = pool.entries(State.READY).get(0);
        pool.fly.machines.get(entry.appName()).clear();

        pool.restart().maintain();

        assertThat(pool.fly.apps).doesNotContainKey(entry.appName());
        assertThat(pool.entries(State.READY))
                .singleElement()
                .satisfies(replacement -> assertThat(replacement.id()).isNotEqualTo(entry.id()));
    }

    @Test
    void leakedPoolAppsAreSweptWhileLiveAndUnprovenOnesAreKept() {
        var pool = new PoolFixture(Map.of("fra", 2));
        pool.maintain();
        String leaked = "flotilla-pool-leaked0000000001";
        pool.fly.withApp(leaked, leaked).put(leaked, "stopped", "fra", Map.of(MachineSpec.POOL, "leaked0000000001"));
        String someTeams = "flotilla-pool-teamsdata000001";
        pool.fly.withApp(someTeams, someTeams).put(someTeams, "started", "fra", Map.of(MachineSpec.TEAM, "x"));

        // the first sweep only notes them (grace), a later one acts
        pool.restart().maintain();
        pool.restart().maintain();

        assertThat(pool.fly.apps).doesNotContainKey(leaked).containsKey(someTeams);
        assertThat(pool.entries(State.READY))
                .allSatisfy(entry -> assertThat(pool.fly.apps).containsKey(entry.appName()))
                .hasSize(2);
    }

    @Test
    void aCrashAtAnyStepOfABuildNeitherLeaksAnAppNorLeavesTheEntryHalfBuilt() {
        for (int step = 1; step <= 12; step++) {
            var pool = new PoolFixture(Map.of("fra", 1));
            pool.fly.crashAt(step);
            try {
                pool.maintain();
            } catch (com.employable.flotilla.provisioner.reconcile.FakeFly.Crash expected) {
                // the process died here
            }

            pool.restart().maintain();
            pool.maintain();

            String at = "crash at Fly call " + step;
            List<PoolEntry> ready = pool.entries(State.READY);
            assertThat(ready).as(at).hasSize(1);
            assertThat(pool.entries(State.CREATING)).as(at).isEmpty();
            assertThat(pool.entries(State.DISCARDING)).as(at).isEmpty();
            assertThat(pool.fly.apps.keySet())
                    .as(at + ": every pool app on Fly is a known entry")
                    .containsExactly(ready.get(0).appName());
            Machine machine = pool.fly.machinesOf(ready.get(0).appName()).get(0);
            assertThat(machine.state()).as(at).isEqualTo("suspended");
        }
    }

    private static String region(PoolFixture pool, String app) {
        return Collections.unmodifiableList(pool.entries(State.CLAIMED)).stream()
                .filter(entry -> entry.appName().equals(app))
                .findFirst()
                .orElseThrow()
                .region();
    }
}
