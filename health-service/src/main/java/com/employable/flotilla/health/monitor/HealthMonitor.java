package com.employable.flotilla.health.monitor;

import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.health.probe.ProbeResult;
import com.employable.flotilla.health.probe.Prober;
import com.employable.flotilla.health.targets.ProbeTarget;
import com.employable.flotilla.health.targets.TargetKey;
import com.employable.flotilla.health.targets.TargetListener;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps every target probed on schedule, turns results into verdicts, and hands each change of verdict (only
 * changes) to {@link Transitions}. The latest verdict and probe result per target are kept for the API.
 */
public class HealthMonitor implements TargetListener, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    /** Stops before the transition publisher, which stops before the outbox relay. */
    public static final int PHASE = Integer.MAX_VALUE - 512;

    private final Map<TargetKey, Monitored> monitored = new ConcurrentHashMap<>();

    private final ProbeScheduler scheduler;

    private final VerdictProperties verdicts;

    private final Transitions transitions;

    private final ProbeMetrics metrics;

    private final Clock clock;

    private volatile boolean running;

    public HealthMonitor(
            Prober prober,
            ScheduleProperties schedule,
            VerdictProperties verdicts,
            Transitions transitions,
            MeterRegistry registry,
            Clock clock) {
        this.verdicts = verdicts;
        this.transitions = transitions;
        this.clock = clock;
        this.metrics = new ProbeMetrics(registry, verdicts.slowThreshold());
        this.scheduler = new ProbeScheduler(
                prober,
                schedule,
                new ProbeScheduler.Listener() {
                    @Override
                    public void started(ProbeTarget target, long lagNanos) {
                        metrics.started(lagNanos);
                    }

                    @Override
                    public void finished(ProbeTarget target, ProbeResult result) {
                        HealthMonitor.this.finished(target, result);
                    }
                },
                RandomGenerator.getDefault());
        Gauge.builder("flotilla.health.targets", scheduler, ProbeScheduler::targets)
                .description("Targets being probed")
                .register(registry);
        for (HealthStatus status : HealthStatus.values()) {
            Gauge.builder("flotilla.health.targets.status", this, monitor -> monitor.count(status))
                    .description("Probed targets by current verdict")
                    .tag("status", ProbeMetrics.name(status))
                    .register(registry);
        }
        Gauge.builder("flotilla.health.probes.in-flight", scheduler, ProbeScheduler::inFlight)
                .description("Probes running now")
                .register(registry);
        Gauge.builder("flotilla.health.probes.waiting", scheduler, ProbeScheduler::waiting)
                .description("Probes due but waiting for a free slot (max-in-flight)")
                .register(registry);
    }

    @Override
    public void track(ProbeTarget target) {
        Monitored entry = monitored.computeIfAbsent(
                target.key(), key -> new Monitored(new Verdict(verdicts, transitions.lastPublished(key))));
        synchronized (entry) {
            entry.target = target;
            entry.probing = true;
        }
        scheduler.schedule(target);
    }

    @Override
    public void untrack(TargetKey key, Reason reason) {
        scheduler.cancel(key);
        switch (reason) {
            case NOT_PROBED -> {
                Monitored entry = monitored.get(key);
                if (entry != null) {
                    synchronized (entry) {
                        entry.probing = false;
                    }
                }
            }
            case RELEASED -> monitored.remove(key);
            case GONE -> {
                monitored.remove(key);
                transitions.forget(key);
            }
        }
    }

    public Optional<TargetHealth> health(TargetKey key) {
        Monitored entry = monitored.get(key);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.snapshot(key));
    }

    public Collection<TargetHealth> all() {
        return monitored.entrySet().stream()
                .map(e -> e.getValue().snapshot(e.getKey()))
                .filter(Objects::nonNull)
                .toList();
    }

    public int targets() {
        return scheduler.targets();
    }

    private void finished(ProbeTarget target, ProbeResult result) {
        metrics.finished(result);
        Monitored entry = monitored.get(target.key());
        if (entry == null) {
            return;
        }
        HealthChanged change = null;
        synchronized (entry) {
            entry.lastProbe = result;
            HealthStatus previous = entry.verdict.record(result);
            if (previous != null) {
                entry.since = clock.instant();
                change = new HealthChanged(
                        target.teamId(),
                        target.machineId(),
                        entry.verdict.status(),
                        previous == HealthStatus.UNKNOWN ? null : previous,
                        result.checkedAt(),
                        result.latencyMs(),
                        result.failure(),
                        entry.verdict.consecutiveFailures());
            }
        }
        if (change != null) {
            metrics.transition(change.status());
            log.info(
                    "{} is {} (was {}){}",
                    target.key(),
                    ProbeMetrics.name(change.status()),
                    change.previous() == null ? "unknown" : ProbeMetrics.name(change.previous()),
                    change.failure() == null
                            ? ""
                            : ": " + change.failure().kind() + " "
                                    + change.failure().detail());
            transitions.publish(change);
        }
    }

    private long count(HealthStatus status) {
        long count = 0;
        for (Monitored entry : monitored.values()) {
            synchronized (entry) {
                if (entry.probing && entry.verdict.status() == status) {
                    count++;
                }
            }
        }
        return count;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        scheduler.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** One target's mutable state; guarded by itself. */
    private static final class Monitored {

        private final Verdict verdict;

        private ProbeTarget target;

        private boolean probing;

        private ProbeResult lastProbe;

        private Instant since;

        Monitored(Verdict verdict) {
            this.verdict = verdict;
        }

        synchronized TargetHealth snapshot(TargetKey key) {
            if (target == null) {
                return null;
            }
            return new TargetHealth(
                    key, target.endpoint(), probing, verdict.status(), since, verdict.consecutiveFailures(), lastProbe);
        }
    }
}
