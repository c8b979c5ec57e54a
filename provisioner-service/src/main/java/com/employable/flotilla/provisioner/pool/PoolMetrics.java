package com.employable.flotilla.provisioner.pool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The pool's meters: claims by outcome ({@code flotilla.provisioner.pool.claims{outcome=claimed|empty}}), entries
 * built and discarded (by reason), and the ready entries per region as of the last maintenance tick, which is also
 * what the platform pays for the pool (stopped machines: root filesystem only).
 */
@Component
class PoolMetrics {

    private final MeterRegistry meters;
    private final Map<String, AtomicInteger> ready = new ConcurrentHashMap<>();

    PoolMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void claimed() {
        claims("claimed").increment();
    }

    void empty() {
        claims("empty").increment();
    }

    void built(String region) {
        Counter.builder("flotilla.provisioner.pool.built")
                .tag("region", region)
                .description("pool entries built, checked and ready")
                .register(meters)
                .increment();
    }

    void discarded(String reason) {
        Counter.builder("flotilla.provisioner.pool.discarded")
                .tag("reason", reason)
                .description("pool entries destroyed unclaimed: check-failed, build-failed, image-changed, abandoned")
                .register(meters)
                .increment();
    }

    void ready(String region, int count) {
        ready.computeIfAbsent(region, key -> {
                    var value = new AtomicInteger();
                    Gauge.builder("flotilla.provisioner.pool.ready", value, AtomicInteger::get)
                            .tag("region", key)
                            .description("ready (unclaimed, stopped) pool entries: platform cost, never a team's")
                            .register(meters);
                    return value;
                })
                .set(count);
    }

    private Counter claims(String outcome) {
        return Counter.builder("flotilla.provisioner.pool.claims")
                .tag("outcome", outcome)
                .description("new teams given a warm pool app (claimed) or a cold create (empty pool)")
                .register(meters);
    }
}
