package com.employable.flotilla.health.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.health.probe.ProbeResult;
import com.employable.flotilla.health.probe.Prober;
import com.employable.flotilla.health.targets.ProbeTarget;
import com.employable.flotilla.health.targets.TargetKey;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeSchedulerTest {

    private final ScheduledExecutorService completions = Executors.newScheduledThreadPool(2);

    private final List<ProbeTarget> started = new CopyOnWriteArrayList<>();

    private final List<ProbeTarget> finished = new CopyOnWriteArrayList<>();

    private final List<Long> lags = new CopyOnWriteArrayList<>();

    /** What the listener answers after each probe (the monitor's decision), by how many probes finished before. */
    private volatile IntFunction<NextProbe> next = finishedBefore -> NextProbe.ON_SCHEDULE;

    private ProbeScheduler scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        completions.shutdownNow();
    }

    @Test
    void slotsAreSpreadEvenlyOverTheIntervalForAnyNumberOfTargets() {
        long interval = Duration.ofSeconds(15).toNanos();
        for (int targets : new int[] {7, 100, 10_000}) {
            long[] phases = new long[targets];
            for (int n = 0; n < targets; n++) {
                phases[n] = ProbeScheduler.phase(n, interval);
            }
            Arrays.sort(phases);
            long largestGap = interval - phases[targets - 1] + phases[0];
            for (int i = 1; i < targets; i++) {
                largestGap = Math.max(largestGap, phases[i] - phases[i - 1]);
            }
            // the golden-ratio sequence leaves gaps of at most about 2.6 times the even share
            assertThat(largestGap).as("%d targets", targets).isLessThan(3 * interval / targets);
            assertThat(phases[0]).isGreaterThanOrEqualTo(0);
            assertThat(phases[targets - 1]).isLessThan(interval);
        }
    }

    @Test
    void aTargetIsNeverProbedTwiceAtOnceEvenWhenItsProbeOutlastsTheInterval() {
        Map<TargetKey, AtomicInteger> concurrent = new ConcurrentHashMap<>();
        Map<TargetKey, Integer> mostConcurrent = new ConcurrentHashMap<>();
        Prober slow = target -> {
            int now = concurrent
                    .computeIfAbsent(target.key(), k -> new AtomicInteger())
                    .incrementAndGet();
            mostConcurrent.merge(target.key(), now, Math::max);
            return completeLater(60, () -> {
                concurrent.get(target.key()).decrementAndGet();
                return ok();
            });
        };
        scheduler = scheduler(slow, Duration.ofMillis(20), 100);
        List<ProbeTarget> targets = List.of(target("alpha"), target("bravo"), target("charlie"));
        targets.forEach(t -> scheduler.schedule(t, false));

        await().atMost(Duration.ofSeconds(20)).until(() -> targets.stream().allMatch(t -> finishedCount(t) >= 5));

        assertThat(mostConcurrent)
                .hasSize(3)
                .allSatisfy((key, most) -> assertThat(most).as(key.toString()).isEqualTo(1));
    }

    @Test
    void noMoreThanMaxInFlightProbesRunAndTheRestWaitTheirTurn() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        Prober prober = target -> {
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            return completeLater(30, () -> {
                running.decrementAndGet();
                return ok();
            });
        };
        scheduler = scheduler(prober, Duration.ofMillis(50), 2);
        List<ProbeTarget> targets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            targets.add(target("team-" + i));
        }
        targets.forEach(t -> scheduler.schedule(t, false));

        await().atMost(Duration.ofSeconds(20)).until(() -> targets.stream().allMatch(t -> finishedCount(t) >= 2));

        assertThat(mostRunning.get()).isEqualTo(2);
        assertThat(lags).allSatisfy(lag -> assertThat(lag).isNotNegative());
    }

    @Test
    void aCancelledTargetIsNotProbedAgainAndItsRunningProbeIsNotHeard() {
        CompletableFuture<ProbeResult> pending = new CompletableFuture<>();
        AtomicInteger probes = new AtomicInteger();
        Prober prober = target -> {
            probes.incrementAndGet();
            return pending;
        };
        scheduler = scheduler(prober, Duration.ofMillis(20), 100);
        ProbeTarget target = target("cancelled");
        scheduler.schedule(target, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> probes.get() == 1);

        scheduler.cancel(target.key());
        pending.complete(ok());

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> probes.get() == 1);
        assertThat(finished).isEmpty();
        assertThat(scheduler.targets()).isZero();
        assertThat(scheduler.inFlight()).isZero();
    }

    @Test
    void aChangedEndpointIsUsedFromTheNextProbe() {
        scheduler = scheduler(target -> CompletableFuture.completedFuture(ok()), Duration.ofMillis(20), 100);
        ProbeTarget first = target("moving");
        scheduler.schedule(first, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> finishedCount(first) >= 1);

        ProbeTarget moved = new ProbeTarget(first.key(), URI.create("http://127.0.0.1:9/elsewhere/mcp"), 2, false);
        scheduler.schedule(moved, false);

        await().atMost(Duration.ofSeconds(5)).until(() -> started.stream().anyMatch(t -> t.registryVersion() == 2));
        assertThat(scheduler.targets()).isEqualTo(1);
    }

    @Test
    void aMachineThatJustStartedIsProbedAtOnceWhereverItsSlotIsAndTheOthersWaitForTheirSlots() {
        scheduler = scheduler(target -> CompletableFuture.completedFuture(ok()), Duration.ofHours(1), 100);
        List<ProbeTarget> woken = new ArrayList<>();
        List<ProbeTarget> known = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            woken.add(target("woken-" + i));
            known.add(target("known-" + i));
        }

        woken.forEach(t -> scheduler.schedule(t, true));
        // the slots of these are minutes into the hour: frac(n * golden ratio) for n = 5..9
        known.forEach(t -> scheduler.schedule(t, false));

        await().atMost(Duration.ofSeconds(10)).until(() -> woken.stream().allMatch(t -> finishedCount(t) == 1));
        assertThat(started).containsExactlyInAnyOrderElementsOf(woken);
    }

    @Test
    void aConfirmationComesSoonAfterTheProbeUntilTheVerdictSettlesThenTheSlotsResume() {
        next = finishedBefore -> finishedBefore < 2 ? NextProbe.CONFIRM : NextProbe.ON_SCHEDULE;
        scheduler = scheduler(target -> CompletableFuture.completedFuture(ok()), Duration.ofHours(1), 100);
        ProbeTarget target = target("confirmed");

        scheduler.schedule(target, true);

        await().atMost(Duration.ofSeconds(10)).until(() -> finishedCount(target) == 3);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> finishedCount(target) == 3);
    }

    @Test
    void aMachineStillStartingIsProbedAgainAtTheStartupIntervalUntilItAnswers() {
        next = finishedBefore -> finishedBefore < 4 ? NextProbe.RETRY_STARTUP : NextProbe.ON_SCHEDULE;
        scheduler = scheduler(target -> CompletableFuture.completedFuture(ok()), Duration.ofHours(1), 100);
        ProbeTarget target = target("booting");

        scheduler.schedule(target, true);

        await().atMost(Duration.ofSeconds(10)).until(() -> finishedCount(target) == 5);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> finishedCount(target) == 5);
    }

    @Test
    void aMachineThatSleptAndWokeIsProbedAtOnceAgain() {
        scheduler = scheduler(target -> CompletableFuture.completedFuture(ok()), Duration.ofHours(1), 100);
        ProbeTarget target = target("sleeper");
        scheduler.schedule(target, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> finishedCount(target) == 1);

        scheduler.cancel(target.key());
        scheduler.schedule(target, true);

        await().atMost(Duration.ofSeconds(10)).until(() -> finishedCount(target) == 2);
    }

    private ProbeScheduler scheduler(Prober prober, Duration interval, int maxInFlight) {
        Duration shortly = interval.compareTo(Duration.ofMillis(20)) < 0 ? interval : Duration.ofMillis(20);
        return new ProbeScheduler(
                prober,
                new ScheduleProperties(interval, 0.05, maxInFlight, shortly, Duration.ofSeconds(20)),
                shortly,
                new ProbeScheduler.Listener() {
                    @Override
                    public void started(ProbeTarget target, long lagNanos) {
                        started.add(target);
                        lags.add(lagNanos);
                    }

                    @Override
                    public NextProbe finished(ProbeTarget target, ProbeResult result) {
                        int before = (int) finishedCount(target);
                        finished.add(target);
                        return next.apply(before);
                    }
                },
                RandomGenerator.getDefault());
    }

    private long finishedCount(ProbeTarget target) {
        return finished.stream().filter(t -> t.key().equals(target.key())).count();
    }

    private CompletableFuture<ProbeResult> completeLater(long millis, java.util.function.Supplier<ProbeResult> result) {
        CompletableFuture<ProbeResult> future = new CompletableFuture<>();
        completions.schedule(() -> future.complete(result.get()), millis, TimeUnit.MILLISECONDS);
        return future;
    }

    private static ProbeTarget target(String team) {
        return new ProbeTarget(new TargetKey(team, "m1"), URI.create("http://127.0.0.1:9/" + team + "/mcp"), 1, false);
    }

    private static ProbeResult ok() {
        return ProbeResult.success(Instant.EPOCH, 1, "2025-11-25", 0);
    }
}
