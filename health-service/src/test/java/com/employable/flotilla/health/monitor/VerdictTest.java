package com.employable.flotilla.health.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.health.ProbeFailure;
import com.employable.flotilla.health.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The verdict rules with the default thresholds: unhealthy after 3 failures in a row, back after 2 successes,
 * slow above 2 s, degraded after 2 slow in a row or 2 failures within 10 probes that are not one streak.
 */
class VerdictTest {

    static final VerdictProperties DEFAULTS = new VerdictProperties(3, 2, Duration.ofSeconds(2), 2, 10, 2);

    /** 'o' ok, 's' slow, 'x' failed; returns the status after each probe, in lower case, '.' when unchanged. */
    private static List<String> run(HealthStatus initial, String probes) {
        Verdict verdict = new Verdict(DEFAULTS, initial);
        List<String> transitions = new ArrayList<>();
        for (char probe : probes.toCharArray()) {
            HealthStatus previous = verdict.record(result(probe));
            transitions.add(previous == null ? "." : verdict.status().name().toLowerCase());
        }
        return transitions;
    }

    private static ProbeResult result(char probe) {
        return switch (probe) {
            case 'o' -> ProbeResult.success(Instant.EPOCH, 20, "2025-11-25", 1);
            case 's' -> ProbeResult.success(Instant.EPOCH, 2500, "2025-11-25", 1);
            case 'x' ->
                ProbeResult.failure(
                        Instant.EPOCH, 5, new ProbeFailure(FailureKind.CONNECT, "initialize: connection refused"));
            default -> throw new IllegalArgumentException("unknown probe " + probe);
        };
    }

    @Test
    void theFirstSuccessDecidesAnUnknownTarget() {
        assertThat(run(HealthStatus.UNKNOWN, "oo")).containsExactly("healthy", ".");
        assertThat(run(HealthStatus.UNKNOWN, "s")).containsExactly("degraded");
    }

    @Test
    void anUnknownTargetThatNeverAnswersBecomesUnhealthyAfterThreeFailures() {
        assertThat(run(HealthStatus.UNKNOWN, "xxxx")).containsExactly(".", ".", "unhealthy", ".");
    }

    @Test
    void aStreakOfFailuresGoesStraightFromHealthyToUnhealthy() {
        assertThat(run(HealthStatus.HEALTHY, "xxxxx")).containsExactly(".", ".", "unhealthy", ".", ".");
    }

    @Test
    void oneBlipChangesNothing() {
        assertThat(run(HealthStatus.HEALTHY, "oxoooooooooo")).containsOnly(".");
    }

    @Test
    void recoveryFromUnhealthyNeedsTwoSuccessesInARow() {
        assertThat(run(HealthStatus.UNHEALTHY, "oxoo")).containsExactly(".", ".", ".", "healthy");
    }

    @Test
    void recoveringSlowlyIsDegraded() {
        assertThat(run(HealthStatus.UNHEALTHY, "os")).containsExactly(".", "degraded");
    }

    @Test
    void intermittentFailuresDegradeAndFastSuccessesRestore() {
        assertThat(run(HealthStatus.HEALTHY, "xoxoo")).containsExactly(".", ".", "degraded", ".", "healthy");
    }

    @Test
    void failuresFarApartAreNotIntermittent() {
        assertThat(run(HealthStatus.HEALTHY, "xoooooooooox")).containsOnly(".");
    }

    @Test
    void slownessDegradesOnlyWhenItLasts() {
        assertThat(run(HealthStatus.HEALTHY, "sosso")).containsExactly(".", ".", ".", "degraded", ".");
    }

    @Test
    void aDegradedTargetNeedsFastSuccessesNotSlowOnes() {
        assertThat(run(HealthStatus.DEGRADED, "sssoo")).containsExactly(".", ".", ".", ".", "healthy");
    }

    @Test
    void aDegradedTargetThatStopsAnsweringBecomesUnhealthy() {
        assertThat(run(HealthStatus.DEGRADED, "xxx")).containsExactly(".", ".", "unhealthy");
    }

    @Test
    void afterRecoveryTheOldFailuresDoNotCountAsIntermittent() {
        // unhealthy, recovered, then one failure: the outage's failures are not held against it
        assertThat(run(HealthStatus.HEALTHY, "xxxoox")).containsExactly(".", ".", "unhealthy", ".", "healthy", ".");
    }

    @Test
    void consecutiveFailuresAreCounted() {
        Verdict verdict = new Verdict(DEFAULTS, HealthStatus.HEALTHY);
        verdict.record(result('x'));
        verdict.record(result('x'));
        assertThat(verdict.consecutiveFailures()).isEqualTo(2);
        verdict.record(result('o'));
        assertThat(verdict.consecutiveFailures()).isZero();
    }
}
