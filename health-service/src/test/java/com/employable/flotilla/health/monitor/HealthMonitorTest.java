package com.employable.flotilla.health.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.health.ProbeFailure;
import com.employable.flotilla.health.probe.ProbeResult;
import com.employable.flotilla.health.targets.ProbeTarget;
import com.employable.flotilla.health.targets.TargetKey;
import com.employable.flotilla.health.targets.TargetListener.Reason;
import com.employable.flotilla.health.targets.TargetListener.Start;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cadence rules and the startup grace, with probes scripted per test (one class under test: the monitor). */
class HealthMonitorTest {

    private static final VerdictProperties VERDICTS = new VerdictProperties(3, 2, Duration.ofSeconds(2), 2, 10, 2);

    private static final ProbeTarget TARGET =
            new ProbeTarget(new TargetKey("acme", "148e21ea7d0589"), URI.create("http://127.0.0.1:9/mcp"), 1, false);

    private final RecordedTransitions transitions = new RecordedTransitions();

    private final AtomicInteger probes = new AtomicInteger();

    private HealthMonitor monitor;

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.stop();
        }
    }

    @Test
    void aBootingServersFailuresDoNotCountAndItsFirstAnswerDecidesAtOnce() {
        monitor = monitor(schedule(Duration.ofHours(1), Duration.ofSeconds(30)), n -> n < 4 ? refused() : ok());

        monitor.track(TARGET, Start.NOW);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> transitions.statuses().size() == 1);
        assertThat(transitions.published()).singleElement().satisfies(change -> {
            assertThat(change.status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(change.consecutiveFailures()).isZero();
        });
        assertThat(probes.get()).isEqualTo(5);
    }

    @Test
    void pastTheStartupGraceFailuresCountAndAreConfirmedUntilTheVerdictSettles() {
        // no grace at all: the failures count from the first
        monitor = monitor(schedule(Duration.ofMillis(400), Duration.ZERO), n -> broken());

        monitor.track(TARGET, Start.NOW);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> transitions.statuses().contains(HealthStatus.UNHEALTHY));
        assertThat(transitions.published())
                .singleElement()
                .satisfies(change -> assertThat(change.consecutiveFailures()).isEqualTo(3));
    }

    @Test
    void aMachineThatSleepsKeepsItsVerdictIsNotProbedAndIsProbedAtOnceWhenItWakes() {
        monitor = monitor(schedule(Duration.ofHours(1), Duration.ofSeconds(30)), n -> ok());
        monitor.track(TARGET, Start.NOW);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> transitions.statuses().size() == 1);

        monitor.untrack(TARGET.key(), Reason.NOT_PROBED);

        assertThat(monitor.health(TARGET.key())).hasValueSatisfying(health -> {
            assertThat(health.probing()).isFalse();
            assertThat(health.status()).isEqualTo(HealthStatus.HEALTHY);
        });
        monitor.track(TARGET, Start.NOW);
        await().atMost(Duration.ofSeconds(10)).until(() -> probes.get() == 2);
        assertThat(transitions.statuses()).containsExactly(HealthStatus.HEALTHY);
    }

    @Test
    void theNextProbeComesAtTheSlotOnceTheVerdictAgreesAndSoonerWhileItDoesNot() {
        assertThat(HealthMonitor.next(HealthStatus.HEALTHY, ok())).isEqualTo(NextProbe.ON_SCHEDULE);
        assertThat(HealthMonitor.next(HealthStatus.HEALTHY, broken())).isEqualTo(NextProbe.CONFIRM);
        assertThat(HealthMonitor.next(HealthStatus.DEGRADED, broken())).isEqualTo(NextProbe.CONFIRM);
        assertThat(HealthMonitor.next(HealthStatus.UNKNOWN, broken())).isEqualTo(NextProbe.CONFIRM);
        assertThat(HealthMonitor.next(HealthStatus.UNHEALTHY, broken())).isEqualTo(NextProbe.ON_SCHEDULE);
        assertThat(HealthMonitor.next(HealthStatus.UNHEALTHY, ok()))
                .as("a recovery is confirmed as soon as a failure is")
                .isEqualTo(NextProbe.CONFIRM);
        assertThat(HealthMonitor.next(HealthStatus.HEALTHY, refused()))
                .as("nothing listening: a machine just gone to sleep looks like this until the registry says so")
                .isEqualTo(NextProbe.ON_SCHEDULE);
    }

    @Test
    void anInconclusiveResultChangesNothingAndTheNextProbeComesAsIfItHadNotHappened() {
        assertThat(HealthMonitor.afterInconclusive(true, false)).isEqualTo(NextProbe.RETRY_STARTUP);
        assertThat(HealthMonitor.afterInconclusive(false, true)).isEqualTo(NextProbe.CONFIRM);
        assertThat(HealthMonitor.afterInconclusive(false, false)).isEqualTo(NextProbe.ON_SCHEDULE);

        // a booting machine whose check has not reported yet is retried at the startup cadence, not left to its slot
        monitor = monitor(schedule(Duration.ofHours(1), Duration.ofSeconds(30)), n -> n < 4 ? unread() : ok());
        monitor.track(TARGET, Start.NOW);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> transitions.statuses().size() == 1);
        assertThat(transitions.statuses()).containsExactly(HealthStatus.HEALTHY);
        assertThat(probes.get()).isEqualTo(5);
    }

    @Test
    void inconclusiveResultsNeverMoveAVerdictNorBreakAStreak() {
        // ok, broken, then readings that say nothing, then broken twice: three failures in a row all the same
        monitor = monitor(
                schedule(Duration.ofMillis(400), Duration.ZERO),
                n -> n == 0 ? ok() : n == 1 || n >= 6 ? broken() : unread());

        monitor.track(TARGET, Start.NOW);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> transitions.statuses().contains(HealthStatus.UNHEALTHY));
        assertThat(transitions.statuses()).containsExactly(HealthStatus.HEALTHY, HealthStatus.UNHEALTHY);
        assertThat(transitions.published().get(1).consecutiveFailures()).isEqualTo(3);
        assertThat(monitor.health(TARGET.key()))
                .hasValueSatisfying(
                        health -> assertThat(health.lastProbe().conclusive()).isTrue());
    }

    @Test
    void confirmationsFitTwoIntervalsWhateverTheThresholdAndJitter() {
        Duration interval = Duration.ofSeconds(15);
        assertThat(HealthMonitor.confirmAfter(schedule(interval, Duration.ZERO), VERDICTS))
                .isEqualTo(Duration.ofMillis(3750));
        for (double jitter : new double[] {0, 0.05, 0.2, 0.4}) {
            for (int unhealthyAfter = 1; unhealthyAfter <= 10; unhealthyAfter++) {
                ScheduleProperties schedule =
                        new ScheduleProperties(interval, jitter, 100, Duration.ofMillis(250), Duration.ZERO);
                Duration confirm = HealthMonitor.confirmAfter(
                        schedule, new VerdictProperties(unhealthyAfter, 2, Duration.ofSeconds(2), 2, 10, 2));
                // the longest gap between two slots, then the confirmations the threshold needs
                double worst = interval.toMillis() * (1 + 2 * jitter) + (unhealthyAfter - 1) * confirm.toMillis();
                assertThat(worst)
                        .as("jitter %s, unhealthy-after %d", jitter, unhealthyAfter)
                        .isLessThanOrEqualTo(interval.toMillis() * 1.9);
            }
        }
    }

    private HealthMonitor monitor(ScheduleProperties schedule, IntFunction<ProbeResult> results) {
        return new HealthMonitor(
                target -> CompletableFuture.completedFuture(results.apply(probes.getAndIncrement())),
                schedule,
                VERDICTS,
                transitions,
                new SimpleMeterRegistry(),
                Clock.systemUTC());
    }

    private static ScheduleProperties schedule(Duration interval, Duration startupGrace) {
        return new ScheduleProperties(interval, 0.05, 100, Duration.ofMillis(10), startupGrace);
    }

    private static ProbeResult ok() {
        return ProbeResult.success(Instant.now(), 3, "2025-11-25", 1);
    }

    private static ProbeResult refused() {
        return ProbeResult.failure(
                Instant.now(), 1, new ProbeFailure(FailureKind.CONNECT, "initialize: connection refused"));
    }

    private static ProbeResult unread() {
        return ProbeResult.inconclusive(Instant.now(), 0, "no new run of the 'mcp' check since the last poll");
    }

    private static ProbeResult broken() {
        return ProbeResult.failure(
                Instant.now(), 2, new ProbeFailure(FailureKind.PROTOCOL, "tools/list: JSON-RPC error -32603: broken"));
    }
}
