package com.employable.flotilla.e2e.fastpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The warm pool under kill -9: for each seed ({@code flotilla.pool-crash.seeds}, 1..5), a burst of
 * {@code flotilla.pool-crash.teams} (100) new teams served from a prefilled pool while the provisioner is killed
 * {@code flotilla.pool-crash.kills} (2) times at random points and restarted ({@link PoolCrashRun}). Run:
 * {@code ./mvnw -o -pl e2e test -Dtest=PoolCrashHarness -Dflotilla.harness=pool-crash
 * -Dsurefire.failIfNoSpecifiedTests=false}; the report goes to {@code target/harness/pool-crash-report.md}, and the
 * run fails when any seed leaves a violation.
 */
@EnabledIfSystemProperty(named = "flotilla.harness", matches = "pool-crash|all")
class PoolCrashHarness {

    static final String SEEDS = System.getProperty("flotilla.pool-crash.seeds", "1..5");
    static final int TEAMS = Integer.getInteger("flotilla.pool-crash.teams", 100);
    static final int KILLS = Integer.getInteger("flotilla.pool-crash.kills", 2);

    @Test
    void killedWhileServingABurstFromThePoolItLeaksNothingAndEveryTeamConverges() throws Exception {
        String[] range = SEEDS.split("\\.\\.");
        long first = Long.parseLong(range[0]);
        long last = range.length > 1 ? Long.parseLong(range[1]) : first;
        var report = new StringBuilder("# Pool crash: " + TEAMS + " teams from a prefilled pool, " + KILLS
                + " kill -9 of the provisioner per run\n\n"
                + "| seed | killed at (ms after the burst) | teams converged | teams with >1 app | teams with >1 machine "
                + "| unclaimed pool apps / target | extra server.provisioned | settled in s | load | violations |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
        List<String> failures = new ArrayList<>();
        for (long seed = first; seed <= last; seed++) {
            PoolCrashRun.Result r = new PoolCrashRun(seed, TEAMS, KILLS, Duration.ofMinutes(4)).run();
            String row = "| " + r.seed() + " | " + r.killedAtMillis() + " | " + r.converged() + "/" + TEAMS + " | "
                    + r.duplicateApps() + " | " + r.duplicateMachines() + " | " + r.unclaimedPoolApps() + "/"
                    + r.poolTarget() + " | " + r.duplicateProvisioned() + " | " + r.settleMillis() / 1000 + " | "
                    + BurstRun.loadAverage().split(" ")[0] + " | "
                    + (r.violations().isEmpty()
                            ? "none"
                            : r.violations().size() + ": "
                                    + String.join(
                                            "; ",
                                            r.violations()
                                                    .subList(
                                                            0,
                                                            Math.min(
                                                                    5,
                                                                    r.violations()
                                                                            .size()))))
                    + " |\n";
            report.append(row);
            System.out.println(row);
            if (!r.violations().isEmpty()) {
                failures.add("seed " + seed + ": " + r.violations());
            }
        }
        Path dir = Files.createDirectories(Path.of("target", "harness"));
        Files.writeString(dir.resolve("pool-crash-report.md"), report);
        System.out.println(report);
        assertThat(failures).as("invariant violations").isEmpty();
    }
}
