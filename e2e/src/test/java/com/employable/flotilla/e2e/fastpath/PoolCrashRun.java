package com.employable.flotilla.e2e.fastpath;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.e2e.support.CloudEventRecords;
import com.employable.flotilla.e2e.support.LocalFlyClient;
import com.employable.flotilla.e2e.support.Platform;
import com.employable.flotilla.e2e.support.TopicRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One crash run from a seed: the provisioner alone on local-fly's simulated runtime (profile {@code fly}), its pool
 * prefilled to more than the burst, {@code teams} {@code team.created} at once, and the provisioner killed with -9 at
 * {@code kills} random points (drawn from the seed) while the burst is served, each time started again at once (the
 * next kill comes within 10 s of the new instance owning the team partitions). Then
 * the run waits for the platform to settle and checks from outside (local-fly's apps and machines, the server
 * lifecycle topic): every team has exactly one app and one machine and was announced provisioned, and every pool app
 * is either one team's or still the pool's (the unclaimed ones exactly the pool's target, none with a stray machine).
 */
record PoolCrashRun(long seed, int teams, int kills, Duration settle) {

    static final String WORKERS = System.getProperty("flotilla.pool-crash.workers", "64");

    record Result(
            long seed,
            List<Long> killedAtMillis,
            int converged,
            int duplicateApps,
            int duplicateMachines,
            int unclaimedPoolApps,
            int poolTarget,
            int duplicateProvisioned,
            long settleMillis,
            List<String> violations) {}

    Result run() throws Exception {
        Random random = new Random(seed);
        int poolTarget = teams + 10;
        Map<String, Integer> targets = BurstRun.targets(poolTarget);
        var env = new LinkedHashMap<String, String>();
        env.put("FLOTILLA_POOL_ENABLED", "true");
        env.put("FLOTILLA_POOL_REFILL_PER_MINUTE", "60");
        env.put("FLOTILLA_PROVISIONER_POOL_BUILDERS", "12");
        env.put("SPRING_APPLICATION_JSON", BurstRun.appCreates(20));
        env.put("FLOTILLA_PROVISIONER_WORKERS", WORKERS);
        // what a kill leaves half-built is repaired within the run, not after the default 5 minutes
        env.put("FLOTILLA_PROVISIONER_POOL_CREATINGTIMEOUT", "PT30S");
        env.put("FLOTILLA_PROVISIONER_RESYNCINTERVAL", "10s");
        env.put("FLOTILLA_ORPHAN_GRACE", "PT30S");
        targets.forEach((region, target) ->
                env.put("FLOTILLA_PROVISIONER_POOL_TARGETS_" + region.toUpperCase(), Integer.toString(target)));
        var options = Platform.Options.defaults().withRuntime("simulated").withServiceEnv(env);
        for (String service : Platform.SERVICES) {
            if (!service.equals("provisioner-service")) {
                options = options.withInstances(service, 0);
            }
        }
        try (Platform platform = Platform.start("pool-crash-" + seed, options);
                TopicRecorder outcomes =
                        new TopicRecorder(TestKafka.bootstrapServers(), Topics.SERVER_LIFECYCLE_NAME)) {
            LocalFlyClient fly = new LocalFlyClient(platform.fly());
            long prefillStart = System.nanoTime();
            while (PoolApps.readyBeforeAnyClaim(fly) < poolTarget) {
                if (System.nanoTime() - prefillStart > Duration.ofMinutes(5).toNanos()) {
                    throw new AssertionError("pool not prefilled in 5 minutes");
                }
                LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            }
            List<String> ids = new ArrayList<>();
            List<ProducerRecord<String, byte[]>> burst = new ArrayList<>();
            for (int i = 0; i < teams; i++) {
                String team = UUID.randomUUID().toString();
                ids.add(team);
                burst.add(CloudEventRecords.teamCreated(team, "crash " + i, "starter", "iad"));
            }
            long t0 = System.nanoTime();
            TopicProbe.send(TestKafka.bootstrapServers(), burst);
            var killedAt = new ArrayList<Long>();
            for (int k = 0; k < kills; k++) {
                // the first kill within the burst's first 10 s; each next one within 10 s of the restarted instance
                // taking the team partitions (a killed member holds them until Kafka's session timeout, and until
                // then the new instance works on no team)
                LockSupport.parkNanos(Duration.ofMillis(random.nextInt(10_000)).toNanos());
                platform.kill("provisioner-service", 0);
                killedAt.add((System.nanoTime() - t0) / 1_000_000);
                Path log = Path.of(
                        "target", "e2e-logs", "pool-crash-" + seed + "-provisioner-service-" + (k + 1) + ".log");
                // logs are appended to across runs: only what this instance writes counts
                long from = Files.exists(log) ? Files.size(log) : 0;
                platform.startInstance("provisioner-service");
                awaitPartitions(log, from);
            }
            long settling = System.nanoTime();
            List<String> violations = List.of("not checked");
            Check check = null;
            while (System.nanoTime() - settling < settle.toNanos()) {
                check = check(fly, ids, outcomes, poolTarget);
                violations = check.violations();
                if (violations.isEmpty()) {
                    break;
                }
                LockSupport.parkNanos(Duration.ofSeconds(5).toNanos());
            }
            long settleMillis = (System.nanoTime() - settling) / 1_000_000;
            return new Result(
                    seed,
                    killedAt,
                    check.converged(),
                    check.duplicateApps(),
                    check.duplicateMachines(),
                    check.unclaimed(),
                    poolTarget,
                    check.duplicateProvisioned(),
                    settleMillis,
                    violations);
        }
    }

    /** Until the instance logging to {@code log} (from byte {@code from}) owns team partitions (at most 2 min). */
    private static void awaitPartitions(Path log, long from) throws Exception {
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofMinutes(2).toNanos()) {
            byte[] bytes = Files.readAllBytes(log);
            int offset = (int) Math.min(from, bytes.length);
            String written = new String(bytes, offset, bytes.length - offset, java.nio.charset.StandardCharsets.UTF_8);
            if (written.contains("Owning team partitions")) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    private record Check(
            int converged,
            int duplicateApps,
            int duplicateMachines,
            int unclaimed,
            int duplicateProvisioned,
            List<String> violations) {}

    /** The invariants, each failure named. */
    private static Check check(LocalFlyClient fly, List<String> ids, TopicRecorder outcomes, int poolTarget)
            throws Exception {
        var violations = new ArrayList<String>();
        PoolApps all = PoolApps.read(fly, "flotilla-");
        Map<String, List<String>> appsByTeam = all.appsByTeam();
        Map<String, List<PoolApps.Machine>> machinesByTeam = all.machinesByTeam();
        Map<String, Integer> provisioned = new HashMap<>();
        Set<String> wanted = Set.copyOf(ids);
        for (TopicRecorder.Received received : outcomes.received()) {
            String key = received.record().key();
            if (wanted.contains(key)
                    && CloudEventRecords.type(received.record())
                            .filter(ServerProvisioned.TYPE::equals)
                            .isPresent()) {
                provisioned.merge(key, 1, Integer::sum);
            }
        }
        int converged = 0;
        int duplicateApps = 0;
        int duplicateMachines = 0;
        for (String team : ids) {
            List<String> apps = appsByTeam.getOrDefault(team, List.of());
            List<PoolApps.Machine> machines = machinesByTeam.getOrDefault(team, List.of());
            if (apps.size() > 1) {
                duplicateApps++;
                violations.add(team + " has " + apps.size() + " apps " + apps);
            }
            if (machines.size() > 1) {
                duplicateMachines++;
                violations.add(team + " has " + machines.size() + " machines");
            }
            boolean running = machines.size() == 1
                    && List.of("started", "stopped", "suspended")
                            .contains(machines.getFirst().state());
            if (running && provisioned.containsKey(team)) {
                converged++;
            } else if (machines.size() <= 1) {
                violations.add(team + " not converged: " + machines + ", provisioned " + provisioned.get(team));
            }
        }
        for (var app : all.apps().entrySet()) {
            long teamsInApp = app.getValue().stream()
                    .map(PoolApps.Machine::team)
                    .filter(team -> team != null)
                    .distinct()
                    .count();
            boolean pool = app.getKey().startsWith(PoolApps.POOL_PREFIX);
            if (teamsInApp > 1) {
                violations.add(app.getKey() + " holds machines of " + teamsInApp + " teams");
            } else if (pool && teamsInApp == 1 && app.getValue().size() != 1) {
                violations.add(
                        "claimed " + app.getKey() + " has " + app.getValue().size() + " machines");
            } else if (pool && teamsInApp == 0 && app.getValue().size() > 1) {
                violations.add(
                        "unclaimed " + app.getKey() + " has " + app.getValue().size() + " machines");
            } else if (!pool && teamsInApp == 0) {
                violations.add("team app " + app.getKey() + " has no team's machine");
            }
        }
        int unclaimed = (int) all.unclaimed().stream()
                .filter(app -> app.startsWith(PoolApps.POOL_PREFIX))
                .count();
        if (unclaimed != poolTarget) {
            violations.add(unclaimed + " unclaimed pool apps, the pool's target is " + poolTarget
                    + (unclaimed > poolTarget ? " (leaked)" : " (still refilling)"));
        }
        int duplicateProvisioned = provisioned.values().stream()
                .mapToInt(n -> n - 1)
                .filter(n -> n > 0)
                .sum();
        return new Check(converged, duplicateApps, duplicateMachines, unclaimed, duplicateProvisioned, violations);
    }
}
