package com.employable.flotilla.e2e.chaos;

import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.e2e.support.CostCheck;
import com.employable.flotilla.e2e.support.KafkaBroker;
import com.employable.flotilla.e2e.support.LocalFlyClient;
import com.employable.flotilla.e2e.support.Platform;
import com.employable.flotilla.e2e.support.TopicRecorder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One chaos run from a seed: the platform with several instances of each service on local-fly's simulated runtime and
 * a broker of its own, a burst of teams then waves of plan changes, suspends, resumes and deletes, while instances are
 * killed with -9 and restarted, the database is cut off, the broker is killed and restarted, Fly answers 5xx, 429 and
 * ambiguous creates and one region has no capacity, and malformed records arrive. When the faults stop, the run waits
 * for the platform to settle and checks the invariants from outside ({@link Invariants}), then billing's usage against
 * a recomputation from the {@code machine.state-changed} events ({@link CostCheck}).
 *
 * @param seed what the run draws its load and faults from
 * @param teams teams in the burst
 * @param instances instances of each service
 * @param chaos how long faults are injected
 * @param settle how long the platform may take to converge afterwards
 */
record ChaosRun(long seed, int teams, int instances, Duration chaos, Duration settle) {

    /** The outcome: invariant violations (none is a pass) and what was done to the platform. */
    record Result(long seed, List<String> violations, int kills, int malformed, Duration converged, String billing) {}

    Result run() throws Exception {
        Random random = new Random(seed);
        ChaosLoad load = new ChaosLoad(seed);
        List<ProducerRecord<String, byte[]>> malformed = Malformed.records(10);
        try (KafkaBroker broker = new KafkaBroker("chaos-" + seed + "-kafka")) {
            broker.start();
            var options = Platform.Options.defaults()
                    .withRuntime("simulated")
                    .withKafka(broker.bootstrapServers())
                    .withServiceEnv(Map.of(
                            "FLOTILLA_PROVISIONER_RESYNCINTERVAL", "10s",
                            "FLOTILLA_ORPHAN_GRACE", "PT20S",
                            "FLOTILLA_HEALTH_INTERVAL", "5s"));
            for (String service : Platform.SERVICES) {
                // at least two provisioners: the one service whose instances could fight over a team's machines
                options = options.withInstances(
                        service, service.equals("provisioner-service") ? Math.max(2, instances) : instances);
            }
            try (Platform platform = Platform.start("chaos-" + seed, options);
                    TopicRecorder deadLetters =
                            new TopicRecorder(broker.bootstrapServers(), Topics.TEAM_LIFECYCLE_NAME + "-dlt")) {
                LocalFlyClient fly = new LocalFlyClient(platform.fly());
                injectFlyFaults(fly);
                AtomicInteger kills = new AtomicInteger();
                ExecutorService restarts = Executors.newVirtualThreadPerTaskExecutor();
                TopicProbe.send(broker.bootstrapServers(), load.burst(teams));
                Instant start = Instant.now();
                Instant end = start.plus(chaos);
                boolean databaseCut = false;
                boolean brokerRestarted = false;
                boolean malformedSent = false;
                while (Instant.now().isBefore(end)) {
                    Duration elapsed = Duration.between(start, Instant.now());
                    String service = Platform.SERVICES.get(random.nextInt(Platform.SERVICES.size()));
                    if (platform.kill(service, random.nextInt(instances))) {
                        kills.incrementAndGet();
                        restarts.submit(() -> platform.startInstance(service));
                    }
                    TopicProbe.send(broker.bootstrapServers(), load.wave(0.1));
                    if (!malformedSent && elapsed.compareTo(chaos.dividedBy(4)) >= 0) {
                        TopicProbe.send(broker.bootstrapServers(), malformed);
                        malformedSent = true;
                    }
                    if (!databaseCut && elapsed.compareTo(chaos.dividedBy(3)) >= 0) {
                        platform.database().cut();
                        pause(Duration.ofSeconds(10));
                        platform.database().restore();
                        databaseCut = true;
                    }
                    if (!brokerRestarted && elapsed.compareTo(chaos.dividedBy(2)) >= 0) {
                        broker.kill();
                        pause(Duration.ofSeconds(5));
                        broker.start();
                        brokerRestarted = true;
                    }
                    pause(Duration.ofMillis(2_000 + random.nextInt(3_000)));
                }
                restarts.close();
                // as Fly's restart policy would: an instance that exited on its own (or whose restart did) is replaced
                for (String service : Platform.SERVICES) {
                    int wanted = service.equals("provisioner-service") ? Math.max(2, instances) : instances;
                    while (platform.instances(service).size() < wanted) {
                        platform.startInstance(service);
                    }
                }
                fly.delete("/_admin/faults");
                fly.post("/_admin/capacity", "{\"region\":\"ord\",\"machines\":null}");
                Instant settling = Instant.now();
                Set<String> malformedKeys =
                        malformed.stream().map(ProducerRecord::key).collect(Collectors.toSet());
                Invariants invariants = new Invariants(fly, load.expected(), malformedKeys, deadLetters);
                try {
                    await().atMost(settle)
                            .pollInterval(Duration.ofSeconds(5))
                            .until(() -> invariants.violations().isEmpty());
                } catch (org.awaitility.core.ConditionTimeoutException unsettled) {
                    // reported below as the violations that remained
                }
                Duration converged = Duration.between(settling, Instant.now());
                List<String> violations = new ArrayList<>(invariants.violations());
                BillingCheck billing = billing(platform, broker.bootstrapServers(), load);
                violations.addAll(billing.violations());
                return new Result(seed, violations, kills.get(), malformed.size(), converged, billing.summary());
            }
        }
    }

    private record BillingCheck(List<String> violations, String summary) {}

    /**
     * Billing's usage against a recomputation from {@code machine.state-changed}, per team: billing may still be
     * catching up after the last kill, so the comparison is repeated for up to a minute until every team agrees.
     */
    private static BillingCheck billing(Platform platform, String bootstrapServers, ChaosLoad load) throws Exception {
        List<String> teams = List.copyOf(load.expected().keySet());
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        List<CostCheck.TeamCost> costs = CostCheck.compare(platform, bootstrapServers, teams);
        while (costs.stream().anyMatch(cost -> !cost.agreesWithinTolerance())
                && Instant.now().isBefore(deadline)) {
            pause(Duration.ofSeconds(5));
            costs = CostCheck.compare(platform, bootstrapServers, teams);
        }
        List<String> violations = costs.stream()
                .filter(cost -> !cost.agreesWithinTolerance())
                .map(cost ->
                        "billing of " + cost.teamId() + " $" + cost.metered().toPlainString() + " but recomputed $"
                                + cost.recomputed().toPlainString())
                .toList();
        BigDecimal worst = costs.stream()
                .map(CostCheck.TeamCost::difference)
                .max(BigDecimal::compareTo)
                .orElse(BigDecimal.ZERO);
        BigDecimal total = costs.stream().map(CostCheck.TeamCost::recomputed).reduce(BigDecimal.ZERO, BigDecimal::add);
        long agreeing =
                costs.stream().filter(CostCheck.TeamCost::agreesWithinTolerance).count();
        return new BillingCheck(
                violations,
                agreeing + "/" + costs.size() + " teams, worst $"
                        + worst.setScale(6, RoundingMode.HALF_EVEN).toPlainString() + " of $"
                        + total.setScale(6, RoundingMode.HALF_EVEN).toPlainString());
    }

    /** 30% 5xx and 10% 429 on the Machines API, ambiguous machine creates, and a region without capacity. */
    private static void injectFlyFaults(LocalFlyClient fly) throws Exception {
        fly.post("/_admin/faults", """
                {"path":"/v1/apps/.*","kind":"status","status":503,"probability":0.3}""");
        fly.post("/_admin/faults", """
                {"path":"/v1/apps/.*","kind":"status","status":429,"probability":0.1}""");
        fly.post("/_admin/faults", """
                {"method":"POST","path":"/v1/apps/[^/]+/machines","kind":"ambiguous","status":504,\
                "probability":0.2}""");
        fly.post("/_admin/capacity", "{\"region\":\"ord\",\"machines\":0}");
    }

    private static void pause(Duration duration) {
        LockSupport.parkNanos(duration.toNanos());
    }
}
