package com.employable.flotilla.health.monitor;

import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.health.probe.ProbeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The probe metrics. Tags are bounded (result kind, status), never per team: with thousands of targets a per-team
 * series would swamp Prometheus; per-team detail is in the API.
 */
final class ProbeMetrics {

    static final String LATENCY = "flotilla.health.probe.latency";

    static final String RESULTS = "flotilla.health.probe.results";

    static final String LAG = "flotilla.health.schedule.lag";

    static final String TRANSITIONS = "flotilla.health.transitions";

    private final Map<String, Timer> latencyByResult = new HashMap<>();

    private final Map<String, Counter> resultsByKind = new HashMap<>();

    private final Map<HealthStatus, Counter> transitionsTo = new EnumMap<>(HealthStatus.class);

    private final Timer lag;

    private final Duration slowThreshold;

    ProbeMetrics(MeterRegistry registry, Duration slowThreshold) {
        this.slowThreshold = slowThreshold;
        for (String result : results()) {
            latencyByResult.put(
                    result,
                    Timer.builder(LATENCY)
                            .description("How long probes took, from start to the last step's answer or the failure")
                            .tag("result", result)
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofMillis(1))
                            .maximumExpectedValue(Duration.ofSeconds(30))
                            .register(registry));
            resultsByKind.put(
                    result,
                    Counter.builder(RESULTS)
                            .description(
                                    "Probe results: ok, slow (answered beyond the slow threshold), the failure kind,"
                                            + " or inconclusive (no fresh reading of a machine check)")
                            .tag("result", result)
                            .register(registry));
        }
        for (HealthStatus status : HealthStatus.values()) {
            transitionsTo.put(
                    status,
                    Counter.builder(TRANSITIONS)
                            .description("Health transitions decided, by the status entered")
                            .tag("status", name(status))
                            .register(registry));
        }
        lag = Timer.builder(LAG)
                .description("How late probes started relative to their planned time")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    void started(long lagNanos) {
        lag.record(lagNanos, TimeUnit.NANOSECONDS);
    }

    void finished(ProbeResult result) {
        String kind = !result.conclusive()
                ? "inconclusive"
                : result.succeeded()
                        ? (result.latencyMs() > slowThreshold.toMillis() ? "slow" : "ok")
                        : result.failure().kind().name().toLowerCase(Locale.ROOT);
        latencyByResult.get(kind).record(result.latencyMs(), TimeUnit.MILLISECONDS);
        resultsByKind.get(kind).increment();
    }

    void transition(HealthStatus to) {
        transitionsTo.get(to).increment();
    }

    static String name(HealthStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    private static List<String> results() {
        List<String> results = new ArrayList<>(List.of("ok", "slow", "inconclusive"));
        for (FailureKind kind : FailureKind.values()) {
            results.add(kind.name().toLowerCase(Locale.ROOT));
        }
        return results;
    }
}
