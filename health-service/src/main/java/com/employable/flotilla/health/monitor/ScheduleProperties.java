package com.employable.flotilla.health.monitor;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When probes run, under {@code flotilla.health.schedule}.
 *
 * @param interval how often each started machine is probed while its verdict stands; after a failure the verdict is
 * confirmed sooner (see {@link HealthMonitor})
 * @param jitter the largest deviation from a target's slot, as a fraction of the interval (0 to 0.5)
 * @param maxInFlight probes running at once across all targets; beyond it probes wait (and the wait shows as
 * scheduling lag). Each running probe holds one or two sockets.
 * @param startupInterval how often a machine that has just started (registered or woken) is probed until it first
 * answers: how soon after its first good answer the verdict is known
 * @param startupGrace how long a machine that has just started may take to answer before its failures count (a
 * server booting is not a broken one)
 */
@ConfigurationProperties("flotilla.health.schedule")
public record ScheduleProperties(
        @DefaultValue("15s") Duration interval,
        @DefaultValue("0.05") double jitter,
        @DefaultValue("2000") int maxInFlight,
        @DefaultValue("250ms") Duration startupInterval,
        @DefaultValue("20s") Duration startupGrace) {

    public ScheduleProperties {
        if (interval == null || interval.toMillis() < 10) {
            throw new IllegalArgumentException("flotilla.health.schedule.interval must be at least 10ms");
        }
        if (jitter < 0 || jitter > 0.5) {
            throw new IllegalArgumentException("flotilla.health.schedule.jitter must be between 0 and 0.5");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("flotilla.health.schedule.max-in-flight must be at least 1");
        }
        if (startupInterval == null || startupInterval.toMillis() < 10 || startupInterval.compareTo(interval) > 0) {
            throw new IllegalArgumentException(
                    "flotilla.health.schedule.startup-interval must be between 10ms and the interval");
        }
        if (startupGrace == null || startupGrace.isNegative()) {
            throw new IllegalArgumentException("flotilla.health.schedule.startup-grace must not be negative");
        }
    }
}
