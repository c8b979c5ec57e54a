package com.employable.flotilla.health.monitor;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When probes run, under {@code flotilla.health.schedule}.
 *
 * @param interval how often each target is probed
 * @param jitter the largest deviation from a target's slot, as a fraction of the interval (0 to 0.5)
 * @param maxInFlight probes running at once across all targets; beyond it probes wait (and the wait shows as
 * scheduling lag). Each running probe holds one or two sockets.
 */
@ConfigurationProperties("flotilla.health.schedule")
public record ScheduleProperties(
        @DefaultValue("15s") Duration interval,
        @DefaultValue("0.05") double jitter,
        @DefaultValue("2000") int maxInFlight) {

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
    }
}
