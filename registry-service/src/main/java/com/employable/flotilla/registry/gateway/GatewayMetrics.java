package com.employable.flotilla.registry.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * {@code flotilla.gateway.requests} (timer: mode and outcome: the upstream status class, {@code replayed}, or why
 * the gateway answered itself), {@code flotilla.gateway.wakes} (timer: how long waking a sleeping server took, by
 * outcome {@code awake}, {@code timeout} or {@code client-gone}) and {@code flotilla.gateway.wake.retries} (wake
 * requests and connection attempts repeated while a server woke).
 */
@Component
class GatewayMetrics {

    private final MeterRegistry meters;

    GatewayMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void proxied(String outcome, long nanos) {
        meters.timer("flotilla.gateway.requests", "mode", "proxy", "outcome", outcome)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void answered(String mode, String outcome, long nanos) {
        meters.timer("flotilla.gateway.requests", "mode", mode, "outcome", outcome)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void wake(String outcome, long nanos) {
        meters.timer("flotilla.gateway.wakes", "outcome", outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    void wakeRetry() {
        meters.counter("flotilla.gateway.wake.retries").increment();
    }
}
