package com.employable.flotilla.health.monitor;

import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.health.probe.ProbeResult;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One target's health as its probe results come in (one at a time: a target is never probed twice at once).
 *
 * <ul>
 * <li>{@code unhealthy-after} failures in a row: unhealthy, from any state.</li>
 * <li>Unhealthy stays unhealthy until {@code healthy-after} successes in a row; then healthy (degraded if the last
 * one was slow), and the failure history starts afresh.</li>
 * <li>Healthy becomes degraded on {@code degraded-after-slow} slow successes in a row, or on
 * {@code intermittent-failures} failures within the last {@code window} probes that are not all one current streak
 * (a streak is on its way to unhealthy and is reported when it gets there, not twice).</li>
 * <li>Degraded becomes healthy after {@code healthy-after} fast successes in a row.</li>
 * <li>Unknown (never decided) takes the first success: healthy, or degraded if slow.</li>
 * </ul>
 */
final class Verdict {

    private final VerdictProperties policy;

    private final Deque<Boolean> recentFailures = new ArrayDeque<>();

    private HealthStatus status;

    private int consecutiveFailures;

    private int consecutiveSuccesses;

    private int consecutiveFast;

    private int consecutiveSlow;

    Verdict(VerdictProperties policy, HealthStatus initial) {
        this.policy = policy;
        this.status = initial == null ? HealthStatus.UNKNOWN : initial;
    }

    HealthStatus status() {
        return status;
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }

    /**
     * Takes one probe result.
     * @return the status before, if this result changed it; {@code null} if the status stays
     */
    HealthStatus record(ProbeResult result) {
        boolean failed = !result.succeeded();
        boolean slow = !failed && result.latencyMs() > policy.slowThreshold().toMillis();
        count(failed, slow);
        HealthStatus next = next(failed, slow);
        if (next == status) {
            return null;
        }
        HealthStatus previous = status;
        status = next;
        if (previous == HealthStatus.UNHEALTHY || previous == HealthStatus.DEGRADED && next == HealthStatus.HEALTHY) {
            // a recovery: the failures that caused the bad state are accounted for
            recentFailures.clear();
        }
        return previous;
    }

    private void count(boolean failed, boolean slow) {
        consecutiveFailures = failed ? consecutiveFailures + 1 : 0;
        consecutiveSuccesses = failed ? 0 : consecutiveSuccesses + 1;
        consecutiveFast = failed || slow ? 0 : consecutiveFast + 1;
        consecutiveSlow = slow ? consecutiveSlow + 1 : 0;
        recentFailures.addLast(failed);
        while (recentFailures.size() > policy.window()) {
            recentFailures.removeFirst();
        }
    }

    private HealthStatus next(boolean failed, boolean slow) {
        if (failed && consecutiveFailures >= policy.unhealthyAfter()) {
            return HealthStatus.UNHEALTHY;
        }
        return switch (status) {
            case UNHEALTHY ->
                consecutiveSuccesses >= policy.healthyAfter()
                        ? (slow ? HealthStatus.DEGRADED : HealthStatus.HEALTHY)
                        : HealthStatus.UNHEALTHY;
            case UNKNOWN -> failed ? HealthStatus.UNKNOWN : (slow ? HealthStatus.DEGRADED : HealthStatus.HEALTHY);
            case HEALTHY ->
                intermittent() || consecutiveSlow >= policy.degradedAfterSlow()
                        ? HealthStatus.DEGRADED
                        : HealthStatus.HEALTHY;
            case DEGRADED -> consecutiveFast >= policy.healthyAfter() ? HealthStatus.HEALTHY : HealthStatus.DEGRADED;
        };
    }

    private boolean intermittent() {
        long failures = recentFailures.stream().filter(Boolean::booleanValue).count();
        return failures >= policy.intermittentFailures() && failures > consecutiveFailures;
    }
}
