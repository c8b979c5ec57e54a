package com.employable.flotilla.e2e.fastpath;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 18's burst: {@code flotilla.burst.teams} (1,000) {@code team.created} at once on local-fly's simulated runtime
 * with Fly's documented latencies (profile {@code fly}), the provisioner's warm pool on, in two configurations run one
 * after the other on fresh platforms: {@code sized} (the pool prefilled with one entry per team) and {@code small}
 * (a pool of {@code flotilla.burst.small-pool}, 200). Each team is timed from its send to its {@code server.provisioned}
 * (see {@link BurstRun}). {@code flotilla.burst.update-ms} overrides local-fly's boot after a machine update (the
 * {@code fly} profile's 20 s), {@code flotilla.burst.workers} the provisioner's workers, {@code flotilla.burst.consumers} its team lifecycle
 * consumers, {@code flotilla.burst.db-pool} its database connections (Hikari's maximum pool size),
 * {@code flotilla.burst.app-creates} the provisioner's app creates a second (20; 0: its default, 1), {@code flotilla.burst.configs}
 * picks the configurations, {@code flotilla.burst.report} names the report. Run:
 * {@code ./mvnw -o -pl e2e test -Dtest=BurstHarness -Dflotilla.harness=burst -Dsurefire.failIfNoSpecifiedTests=false};
 * the report goes to {@code target/harness/burst-report.md}.
 */
@EnabledIfSystemProperty(named = "flotilla.harness", matches = "burst|all")
class BurstHarness {

    static final int TEAMS = Integer.getInteger("flotilla.burst.teams", 1000);
    static final int SMALL_POOL = Integer.getInteger("flotilla.burst.small-pool", 200);
    static final String CONFIGS = System.getProperty("flotilla.burst.configs", "sized,small");
    static final String UPDATE_MS = System.getProperty("flotilla.burst.update-ms", "");
    static final String WORKERS = System.getProperty("flotilla.burst.workers", "");
    static final String CONSUMERS = System.getProperty("flotilla.burst.consumers", "");
    static final String DB_POOL = System.getProperty("flotilla.burst.db-pool", "");
    static final String REPORT = System.getProperty("flotilla.burst.report", "burst-report");
    /** How a claimed pool machine becomes the team's: {@code exec} (the default) or {@code update}. */
    static final String CLAIM = System.getProperty("flotilla.burst.claim", "");

    @Test
    void aBurstOfNewTeamsServedFromTheWarmPool() throws Exception {
        Map<String, String> flyEnv = new LinkedHashMap<>(Map.of("LOCAL_FLY_SIM_PROFILE", "fly"));
        if (!UPDATE_MS.isBlank()) {
            flyEnv.put("LOCAL_FLY_SIM_UPDATE_MS", UPDATE_MS);
        }
        Map<String, String> serviceEnv = new LinkedHashMap<>();
        if (!WORKERS.isBlank()) {
            serviceEnv.put("FLOTILLA_PROVISIONER_WORKERS", WORKERS);
        }
        if (!CLAIM.isBlank()) {
            serviceEnv.put("FLOTILLA_PROVISIONER_POOL_CLAIM_MODE", CLAIM);
        }
        if (!DB_POOL.isBlank()) {
            serviceEnv.put("SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE", DB_POOL);
        }
        if (!CONSUMERS.isBlank()) {
            // consumers of the team lifecycle topic in the instance (its 6 partitions shared among them)
            serviceEnv.put("SPRING_KAFKA_LISTENER_CONCURRENCY", CONSUMERS);
        }
        var report = new StringBuilder("# Burst of " + TEAMS + " new teams (local-fly simulated, profile fly"
                + (UPDATE_MS.isBlank() ? "" : ", boot after update " + UPDATE_MS + " ms")
                + (BurstRun.RATE > 0 ? ", published at " + BurstRun.RATE + " teams/s" : ", published at once")
                + (CLAIM.isBlank() ? "" : ", claim by " + CLAIM)
                + (WORKERS.isBlank() ? "" : ", provisioner workers " + WORKERS)
                + (CONSUMERS.isBlank() ? "" : ", lifecycle consumers " + CONSUMERS)
                + (DB_POOL.isBlank() ? "" : ", database connections " + DB_POOL)
                + (BurstRun.APP_CREATES_PER_SECOND > 0
                        ? ", app creates " + BurstRun.APP_CREATES_PER_SECOND + "/s"
                        : ", app creates at the provisioner's default")
                + ")\n\n");
        var runs = new StringBuilder();
        report.append(BurstReport.summaryHeader());
        for (String config : List.of(CONFIGS.split(","))) {
            int pool = config.equals("sized") ? TEAMS : SMALL_POOL;
            BurstRun.Result result = new BurstRun(config, TEAMS, pool, flyEnv, serviceEnv, Duration.ofMinutes(6)).run();
            report.append(BurstReport.summaryRow(result));
            runs.append("\n")
                    .append(BurstReport.timeline(result, 5_000))
                    .append("\n")
                    .append(BurstReport.byIndex(result, Math.max(10, TEAMS / 10)));
            System.out.println(BurstReport.summaryRow(result));
        }
        report.append(runs);
        Path dir = Files.createDirectories(Path.of("target", "harness"));
        Files.writeString(dir.resolve(REPORT + ".md"), report);
        System.out.println(report);
    }
}
