package com.employable.flotilla.health.monitor;

import com.employable.flotilla.common.events.health.FailureKind;
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
import java.time.Duration;
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
 * Keeps every target probed on its cadence, turns results into verdicts, and hands each change of verdict (only
 * changes) to {@link Transitions}. The latest verdict and probe result per target are kept for the API, and kept
 * while a machine sleeps: a machine that is not probed keeps the verdict it had.
 *
 * <p>The cadence, per target:
 * <ul>
 * <li>A machine that has just started (registered, or woken) is probed at once, then every {@code startup-interval}
 * until it first answers MCP; failures in that {@code startup-grace} do not count (a booting server is not a broken
 * one).</li>
 * <li>While the verdict stands, once per {@code interval}, at the target's slot.</li>
 * <li>After a probe the verdict does not agree with yet (a failure while not unhealthy, a success while unhealthy),
 * again after {@link #confirmAfter a quarter interval}, until the verdict settles: a server that breaks while awake
 * is judged within two intervals. A connection failure is the exception, confirmed at the interval: nothing
 * listening is what a machine that has just gone to sleep looks like until the registry says so.</li>
 * <li>A machine that is not started is never probed.</li>
 * <li>An inconclusive result ({@code fly-checks} mode: no fresh reading of the machine's check) changes nothing: the
 * next probe comes as if it had not happened (a startup retry, a confirmation, or the slot).</li>
 * </ul>
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

    private final long startupGraceNanos;

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
        this.startupGraceNanos = schedule.startupGrace().toNanos();
        this.scheduler = new ProbeScheduler(
                prober,
                schedule,
                confirmAfter(schedule, verdicts),
                new ProbeScheduler.Listener() {
                    @Override
                    public void started(ProbeTarget target, long lagNanos) {
                        metrics.started(lagNanos);
                    }

                    @Override
                    public NextProbe finished(ProbeTarget target, ProbeResult result) {
                        return HealthMonitor.this.finished(target, result);
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

    /**
     * How soon a verdict is confirmed: a quarter interval, or less when {@code unhealthy-after} or the jitter are
     * large, so that a server breaking right after a probe is judged within two intervals (up to
     * {@code interval * (1 + 2 * jitter)} until the next slot, then {@code unhealthy-after - 1} confirmations, with a
     * tenth of an interval left for the probes themselves).
     */
    static Duration confirmAfter(ScheduleProperties schedule, VerdictProperties verdicts) {
        double fraction = 0.25;
        if (verdicts.unhealthyAfter() > 1) {
            fraction = Math.min(fraction, (0.9 - 2 * schedule.jitter()) / (verdicts.unhealthyAfter() - 1));
        }
        long nanos = (long) (schedule.interval().toNanos() * fraction);
        return Duration.ofNanos(Math.max(nanos, Duration.ofMillis(1).toNanos()));
    }

    @Override
    public void track(ProbeTarget target, Start start) {
        Monitored entry = monitored.computeIfAbsent(
                target.key(), key -> new Monitored(new Verdict(verdicts, transitions.lastPublished(key))));
        boolean atOnce = start == Start.NOW;
        synchronized (entry) {
            entry.target = target;
            entry.probing = true;
            if (atOnce) {
                entry.starting = true;
                entry.confirming = false;
                entry.startedNanos = System.nanoTime();
            }
        }
        scheduler.schedule(target, atOnce);
    }

    @Override
    public void untrack(TargetKey key, Reason reason) {
        scheduler.cancel(key);
        switch (reason) {
            case NOT_PROBED -> {
                Monitored entry = monitored.get(key);
                if (entry != null) {
                    // the verdict stays what it was: a machine going to sleep is neither unknown nor unhealthy
                    synchronized (entry) {
                        entry.probing = false;
                        entry.starting = false;
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

    private NextProbe finished(ProbeTarget target, ProbeResult result) {
        metrics.finished(result);
        Monitored entry = monitored.get(target.key());
        if (entry == null) {
            return NextProbe.ON_SCHEDULE;
        }
        HealthChanged change = null;
        NextProbe next;
        synchronized (entry) {
            entry.lastProbe = result;
            if (!result.conclusive()) {
                return inconclusive(entry);
            }
            if (entry.starting) {
                if (!result.succeeded() && System.nanoTime() - entry.startedNanos < startupGraceNanos) {
                    return NextProbe.RETRY_STARTUP;
                }
                entry.starting = false;
            }
            HealthStatus previous = entry.verdict.record(result);
            next = next(entry.verdict.status(), result);
            entry.confirming = next == NextProbe.CONFIRM;
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
        return next;
    }

    /** After a result that brought no evidence: carry on as before it (the caller holds the entry's lock). */
    private NextProbe inconclusive(Monitored entry) {
        boolean booting = entry.starting && System.nanoTime() - entry.startedNanos < startupGraceNanos;
        entry.starting = booting;
        return afterInconclusive(booting, entry.confirming);
    }

    /**
     * When a target is probed next after an inconclusive result: as if it had not happened.
     *
     * @param booting just started and still within the startup grace
     * @param confirming the last counted result is waiting for its confirmation
     */
    static NextProbe afterInconclusive(boolean booting, boolean confirming) {
        if (booting) {
            return NextProbe.RETRY_STARTUP;
        }
        return confirming ? NextProbe.CONFIRM : NextProbe.ON_SCHEDULE;
    }

    /** When a target is probed next, after a probe that counted. */
    static NextProbe next(HealthStatus verdict, ProbeResult result) {
        if (result.succeeded()) {
            // a recovery takes healthy-after successes in a row: confirm it as soon as a failure would be
            return verdict == HealthStatus.UNHEALTHY ? NextProbe.CONFIRM : NextProbe.ON_SCHEDULE;
        }
        if (result.failure().kind() == FailureKind.CONNECT) {
            // nothing listens: a crash or a machine just gone to sleep; the machine's state says which, not a probe
            return NextProbe.ON_SCHEDULE;
        }
        return verdict == HealthStatus.UNHEALTHY ? NextProbe.ON_SCHEDULE : NextProbe.CONFIRM;
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

        /** Started (registered or woken) and not yet answered, nor past the startup grace. */
        private boolean starting;

        /** The last counted result asked for a confirmation the verdict has not had yet. */
        private boolean confirming;

        private long startedNanos;

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
