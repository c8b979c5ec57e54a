package com.employable.flotilla.provisioner.pool;

import com.employable.flotilla.provisioner.ownership.TeamOwnership;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the pool's maintenance every tick while the pool is enabled, with a bounded number of entries built at once. It
 * is one of the fleet's singletons (on partition 0's owner, see {@link TeamOwnership}): one refill rate, one
 * validation and one sweep for the fleet, however many instances run; the others only report the pool's size.
 */
@Component
class PoolTicker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PoolTicker.class);

    private final PoolMaintainer maintainer;
    private final PoolProperties properties;
    private final TeamOwnership ownership;
    private volatile ScheduledExecutorService ticker;
    private volatile ExecutorService builders;

    PoolTicker(PoolMaintainer maintainer, PoolProperties properties, TeamOwnership ownership) {
        this.maintainer = maintainer;
        this.properties = properties;
        this.ownership = ownership;
    }

    void tick() {
        try {
            Optional<TeamOwnership.Work> singleton = ownership.enterSingleton();
            if (singleton.isEmpty()) {
                maintainer.reportReady();
                return;
            }
            // held for the tick only: a revocation waits for it; builds it started finish on their rows' states
            try (TeamOwnership.Work tick = singleton.get()) {
                maintainer.maintain(builders);
            }
        } catch (RuntimeException e) {
            log.warn("Pool maintenance failed, again next tick: {}", e.toString());
        }
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            return;
        }
        builders = Executors.newFixedThreadPool(properties.builders(), named("pool-builder"));
        ticker = Executors.newSingleThreadScheduledExecutor(named("pool-ticker"));
        ticker.scheduleWithFixedDelay(this::tick, 0, properties.tick().toMillis(), TimeUnit.MILLISECONDS);
        log.info(
                "Warm pool on: targets {}, at most {} new entries a minute per region",
                properties.targets(),
                properties.refillPerMinute());
    }

    @Override
    public void stop() {
        ScheduledExecutorService t = ticker;
        ExecutorService b = builders;
        ticker = null;
        if (t != null) {
            t.shutdownNow();
        }
        if (b != null) {
            // an entry cut short stays creating and is repaired (destroyed, replaced) after the timeout
            b.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return ticker != null;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
