package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.common.tracing.TraceParent;
import com.employable.flotilla.provisioner.ownership.PickUp;
import com.employable.flotilla.provisioner.ownership.TeamOwnership;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.ReconcileRequests;
import com.employable.flotilla.provisioner.team.TeamRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs reconciles: never two at once for one team (a trigger during a run marks the team dirty and it runs again
 * right after), a bounded number in parallel, a reconcile again when it asked to be requeued (instead of blocking a
 * worker while Fly gets somewhere), retries when their back-off is due, and a periodic resync of every team plus the
 * orphan sweep. Work lives in the database, so a restart loses nothing: the first resync picks it up.
 *
 * <p>Only owned teams ({@link TeamOwnership}) are worked on: each pass is entered there, so a revocation waits for
 * it; requeues, retries and resyncs of teams this instance does not own are dropped (their owner has its own), and a
 * reconcile asked for here of a team owned elsewhere (a health verdict, the operator API) is recorded for the owner,
 * which takes it up within a second. Newly owned teams are reconciled at once.
 */
@Component
public class ReconcileScheduler implements SmartLifecycle, ReconcileRequests, PickUp {

    private static final Logger log = LoggerFactory.getLogger(ReconcileScheduler.class);

    private final TeamController controller;
    private final TeamRepository teams;
    private final OrphanSweeper orphans;
    private final TeamOwnership ownership;
    private final ProvisionerProperties properties;
    private final Clock clock;
    private final Timer reconcileTimer;
    private final ConcurrentHashMap<String, Boolean> dirty = new ConcurrentHashMap<>();
    /** The trace of the latest event that asked for a team's reconcile, until that reconcile runs. */
    private final ConcurrentHashMap<String, String> traces = new ConcurrentHashMap<>();

    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger requeued = new AtomicInteger();
    private volatile ExecutorService workers;
    private volatile ScheduledExecutorService ticker;

    ReconcileScheduler(
            TeamController controller,
            TeamRepository teams,
            OrphanSweeper orphans,
            TeamOwnership ownership,
            ProvisionerProperties properties,
            Clock clock,
            MeterRegistry meters) {
        this.controller = controller;
        this.teams = teams;
        this.orphans = orphans;
        this.ownership = ownership;
        this.properties = properties;
        this.clock = clock;
        this.reconcileTimer = Timer.builder("flotilla.provisioner.reconcile").register(meters);
        Gauge.builder("flotilla.provisioner.reconciles.active", active, AtomicInteger::get)
                .register(meters);
        Gauge.builder("flotilla.provisioner.reconciles.queued", dirty, ConcurrentHashMap::size)
                .register(meters);
    }

    /**
     * Asks for a reconcile on behalf of a traced event: the reconcile (its Fly calls and the events it publishes)
     * continues that trace.
     */
    @Override
    public void reconcile(String teamId, String traceParent) {
        trigger(teamId, traceParent);
    }

    public void trigger(String teamId, String traceParent) {
        // only a reconcile that runs here continues the trace (kept until it runs: never for a team owned elsewhere)
        if (traceParent != null && ownership.owns(teamId)) {
            traces.put(teamId, traceParent);
        }
        trigger(teamId);
    }

    /**
     * Asks for a reconcile of the team soon, here if this instance owns it, else by its owner; cheap and safe to call
     * any number of times.
     */
    public void trigger(String teamId) {
        if (!ownership.owns(teamId)) {
            teams.requestReconcile(teamId);
            return;
        }
        queue(teamId);
    }

    @Override
    public void pickUp(Collection<Integer> partitions) {
        try {
            teams.liveTeamIds().stream()
                    .filter(teamId -> ownership.inPartitions(teamId, partitions))
                    .forEach(this::queue);
        } catch (RuntimeException e) {
            log.warn(
                    "Could not read the teams of partitions {}: {}; the next resync takes them",
                    partitions,
                    e.toString());
        }
    }

    /** Queues an owned team's reconcile; a team owned elsewhere is left to its owner. */
    private void queue(String teamId) {
        if (!ownership.owns(teamId)) {
            return;
        }
        ExecutorService pool = workers;
        if (pool == null) {
            return; // not started yet: the first resync covers it
        }
        // present = queued or running; TRUE = run again after the current run
        Boolean previous = dirty.putIfAbsent(teamId, Boolean.FALSE);
        if (previous == null) {
            pool.execute(() -> run(teamId));
        } else {
            dirty.put(teamId, Boolean.TRUE);
        }
    }

    private void run(String teamId) {
        while (true) {
            Optional<TeamOwnership.Work> entered = ownership.enter(teamId);
            if (entered.isEmpty()) {
                // handed over meanwhile: the new owner reconciles it
                dirty.remove(teamId);
                traces.remove(teamId);
                return;
            }
            active.incrementAndGet();
            try (TeamOwnership.Work work = entered.get();
                    Scope ignored = TraceParent.resume(traces.remove(teamId))) {
                Optional<Duration> again = reconcileTimer.record(() -> controller.reconcile(teamId));
                again.ifPresent(after -> requeue(teamId, after, TraceParent.current()));
            } catch (RuntimeException e) {
                log.error("Reconcile of team {} crashed: {}", teamId, e.toString());
            } catch (Error e) {
                // never leave the team marked as running: nothing would ever reconcile it again
                dirty.remove(teamId);
                log.error("Reconcile of team {} crashed: {}", teamId, e.toString());
                throw e;
            } finally {
                active.decrementAndGet();
            }
            // leave only if nobody asked again meanwhile
            if (dirty.remove(teamId, Boolean.FALSE)) {
                return;
            }
            dirty.put(teamId, Boolean.FALSE);
        }
    }

    /** The requeued pass continues the trace of the event that started the work. */
    private void requeue(String teamId, Duration after, String trace) {
        if (trace != null) {
            traces.putIfAbsent(teamId, trace);
        }
        if (after.isZero()) {
            dirty.put(teamId, Boolean.TRUE);
            return;
        }
        ScheduledExecutorService t = ticker;
        if (t == null || t.isShutdown()) {
            // stopping: the next start reconciles every team anyway
            return;
        }
        requeued.incrementAndGet();
        t.schedule(
                () -> {
                    requeued.decrementAndGet();
                    queue(teamId);
                },
                after.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public boolean idle() {
        return dirty.isEmpty() && active.get() == 0 && requeued.get() == 0;
    }

    private void retryDue() {
        try {
            teams.dueForRetry(clock.instant()).forEach(this::queue);
            List<String> asked =
                    teams.reconcileRequested().stream().filter(ownership::owns).toList();
            if (!asked.isEmpty()) {
                teams.takeReconcileRequests(asked);
                asked.forEach(this::queue);
            }
        } catch (RuntimeException e) {
            log.warn("Could not read teams due for retry: {}", e.toString());
        }
    }

    private void resync() {
        try {
            teams.liveTeamIds().forEach(this::queue);
            // one sweep in the fleet: on partition 0's owner, drained like a team's work when it moves
            ownership.enterSingleton().ifPresent(sweep -> {
                try (sweep) {
                    orphans.sweep();
                }
            });
        } catch (RuntimeException e) {
            log.warn("Resync failed: {}", e.toString());
        }
    }

    @Override
    public void start() {
        workers = Executors.newFixedThreadPool(properties.workers(), named("reconcile"));
        ticker = Executors.newSingleThreadScheduledExecutor(named("reconcile-ticker"));
        ticker.scheduleWithFixedDelay(this::retryDue, 1, 1, TimeUnit.SECONDS);
        long resyncMillis = properties.resyncInterval().toMillis();
        ticker.scheduleWithFixedDelay(this::resync, 0, resyncMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService t = ticker;
        ExecutorService w = workers;
        workers = null;
        if (t != null) {
            t.shutdownNow();
        }
        if (w != null) {
            w.shutdown();
            try {
                // a reconcile cut short is finished by the next run; waiting only shortens that next run
                w.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            w.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return workers != null;
    }

    @Override
    public int getPhase() {
        // after the Kafka listeners (which trigger work) so they stop first... and start last
        return Integer.MAX_VALUE - 100;
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
