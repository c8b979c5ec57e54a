package com.employable.flotilla.health.monitor;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When probe results change a target's health, under {@code flotilla.health.verdict}. Entering a worse state takes
 * one threshold and leaving it takes another, so one blip does not flap the registry's routing.
 *
 * @param unhealthyAfter consecutive failed probes that make a target unhealthy (from any state)
 * @param healthyAfter consecutive successful probes that bring an unhealthy target back, and consecutive fast ones
 * that bring a degraded target back to healthy
 * @param slowThreshold a successful probe slower than this counts as slow
 * @param degradedAfterSlow consecutive slow probes that make a healthy target degraded
 * @param window how many recent probes the intermittent-failure rule looks at
 * @param intermittentFailures failures within the window, not all of them one current streak, that make a healthy
 * target degraded
 */
@ConfigurationProperties("flotilla.health.verdict")
public record VerdictProperties(
        @DefaultValue("3") int unhealthyAfter,
        @DefaultValue("2") int healthyAfter,
        @DefaultValue("2s") Duration slowThreshold,
        @DefaultValue("2") int degradedAfterSlow,
        @DefaultValue("10") int window,
        @DefaultValue("2") int intermittentFailures) {

    public VerdictProperties {
        atLeast(unhealthyAfter, 1, "unhealthy-after");
        atLeast(healthyAfter, 1, "healthy-after");
        atLeast(degradedAfterSlow, 1, "degraded-after-slow");
        atLeast(intermittentFailures, 2, "intermittent-failures");
        atLeast(window, intermittentFailures, "window (at least intermittent-failures)");
        if (slowThreshold == null || slowThreshold.isNegative() || slowThreshold.isZero()) {
            throw new IllegalArgumentException("flotilla.health.verdict.slow-threshold must be positive");
        }
    }

    private static void atLeast(int value, int minimum, String name) {
        if (value < minimum) {
            throw new IllegalArgumentException("flotilla.health.verdict." + name + " must be at least " + minimum);
        }
    }
}
