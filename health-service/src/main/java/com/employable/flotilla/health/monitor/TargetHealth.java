package com.employable.flotilla.health.monitor;

import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.health.probe.ProbeResult;
import com.employable.flotilla.health.targets.TargetKey;
import java.net.URI;
import java.time.Instant;

/**
 * A target's health as this instance knows it now.
 *
 * @param key team and machine
 * @param endpoint the URL probed
 * @param probing whether the target is being probed (false once its machine stopped)
 * @param status the current verdict
 * @param statusSince when the verdict last changed in this process; {@code null} while unknown
 * @param consecutiveFailures failed probes in a row
 * @param lastProbe the latest probe's result; {@code null} before the first probe
 */
public record TargetHealth(
        TargetKey key,
        URI endpoint,
        boolean probing,
        HealthStatus status,
        Instant statusSince,
        int consecutiveFailures,
        ProbeResult lastProbe) {}
