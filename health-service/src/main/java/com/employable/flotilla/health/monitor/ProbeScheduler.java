package com.employable.flotilla.health.monitor;

import com.employable.flotilla.common.tracing.TraceParent;
import com.employable.flotilla.health.probe.ProbeResult;
import com.employable.flotilla.health.probe.Prober;
import com.employable.flotilla.health.targets.ProbeTarget;
import com.employable.flotilla.health.targets.TargetKey;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each target's probe once per interval, spread evenly over the interval: the n-th target added takes the slot at
 * fraction {@code frac(n * golden ratio)} of the interval, a sequence that stays evenly spread for any number of
 * targets, and each run deviates from its slot by a bounded random jitter that does not accumulate. One timer thread
 * starts probes (which do not block); a target is never probed twice at once; at most {@code max-in-flight} probes
 * run, the rest wait their turn.
 */
final class ProbeScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProbeScheduler.class);

    private static final double GOLDEN_RATIO_FRACTION = 0.6180339887498949;

    /** Hears when a probe starts (with how late it is) and how it ended. */
    interface Listener {

        void started(ProbeTarget target, long lagNanos);

        void finished(ProbeTarget target, ProbeResult result);
    }

    private final Prober prober;

    private final Listener listener;

    private final RandomGenerator random;

    private final long intervalNanos;

    private final long maxJitterNanos;

    private final int maxInFlight;

    private final ScheduledThreadPoolExecutor timer;

    private final Map<TargetKey, Slot> slots = new ConcurrentHashMap<>();

    private final Map<TargetKey, String> firstProbeTraces = new ConcurrentHashMap<>();

    private final Set<TargetKey> running = ConcurrentHashMap.newKeySet();

    private final Queue<Slot> waiting = new ConcurrentLinkedQueue<>();

    private final AtomicInteger inFlight = new AtomicInteger();

    private long added;

    ProbeScheduler(Prober prober, ScheduleProperties properties, Listener listener, RandomGenerator random) {
        this.prober = prober;
        this.listener = listener;
        this.random = random;
        this.intervalNanos = properties.interval().toNanos();
        this.maxJitterNanos = (long) (intervalNanos * properties.jitter());
        this.maxInFlight = properties.maxInFlight();
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "health-probe-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Starts probing a target, or points the next probes of a known target at its new endpoint. */
    void schedule(ProbeTarget target) {
        Slot existing = slots.get(target.key());
        if (existing != null) {
            existing.target = target;
            return;
        }
        long now = System.nanoTime();
        long phase;
        synchronized (this) {
            phase = phase(added++, intervalNanos);
        }
        Slot slot = new Slot(target, now + phase);
        String trace = TraceParent.current();
        if (trace != null) {
            // the first probe of a new target continues the trace that registered it (provisioned -> probed)
            firstProbeTraces.put(target.key(), trace);
        }
        if (slots.putIfAbsent(target.key(), slot) == null) {
            slot.planNext(0, now);
        }
    }

    /** Where in the interval the n-th target added is probed. */
    static long phase(long n, long intervalNanos) {
        return (long) (((n * GOLDEN_RATIO_FRACTION) % 1.0) * intervalNanos);
    }

    /** Stops probing a target; a probe of it still running finishes unheard. */
    void cancel(TargetKey key) {
        firstProbeTraces.remove(key);
        Slot slot = slots.remove(key);
        if (slot != null) {
            slot.cancel();
        }
    }

    int targets() {
        return slots.size();
    }

    int inFlight() {
        return inFlight.get();
    }

    int waiting() {
        return waiting.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        slots.values().forEach(Slot::cancel);
        slots.clear();
        waiting.clear();
    }

    /** On the timer thread: a slot is due. Probes start in the order they fell due. */
    private void fire(Slot slot) {
        if (!slot.cancelled) {
            waiting.add(slot);
            startWaiting();
        }
    }

    private void start(Slot slot) {
        ProbeTarget target = slot.target;
        long now = System.nanoTime();
        if (!running.add(target.key())) {
            // an earlier incarnation of this target (removed and added again) is still being probed
            slot.planNext(slot.cycle + 1, now);
            return;
        }
        inFlight.incrementAndGet();
        listener.started(target, Math.max(0, now - slot.dueNanos));
        try {
            try (Scope ignored = TraceParent.resume(firstProbeTraces.remove(target.key()))) {
                prober.probe(target).whenComplete((result, impossible) -> finished(slot, target, result, impossible));
            }
        } catch (RuntimeException failure) {
            finished(slot, target, null, failure);
        }
    }

    private void finished(Slot slot, ProbeTarget target, ProbeResult result, Throwable impossible) {
        running.remove(target.key());
        inFlight.decrementAndGet();
        try {
            if (impossible != null) {
                // a Prober reports failures as results; anything else is a bug, logged, and the target probed again
                log.error("Probe of {} failed unexpectedly", target.key(), impossible);
            }
            synchronized (slot) {
                if (!slot.cancelled) {
                    if (result != null) {
                        listener.finished(target, result);
                    }
                    slot.planNext(slot.cycle + 1, System.nanoTime());
                }
            }
        } finally {
            if (!waiting.isEmpty()) {
                timer.execute(this::startWaiting);
            }
        }
    }

    /** On the timer thread (the only one that starts probes, so the in-flight bound holds). */
    private void startWaiting() {
        while (inFlight.get() < maxInFlight) {
            Slot next = waiting.poll();
            if (next == null) {
                return;
            }
            if (!next.cancelled) {
                start(next);
            }
        }
    }

    /** One target's place in the schedule. */
    private final class Slot {

        private final long anchorNanos;

        private volatile ProbeTarget target;

        private long cycle;

        private long dueNanos;

        private ScheduledFuture<?> timerTask;

        private volatile boolean cancelled;

        Slot(ProbeTarget target, long anchorNanos) {
            this.target = target;
            this.anchorNanos = anchorNanos;
        }

        /** Plans the run of cycle {@code cycle} (its slot plus jitter), skipping cycles already past. */
        synchronized void planNext(long wantedCycle, long now) {
            if (cancelled) {
                return;
            }
            long next = Math.max(wantedCycle, cycle);
            long due = anchorNanos + next * intervalNanos + jitter();
            if (due < now - intervalNanos / 2) {
                // the previous probe overran whole intervals: resume at the next slot instead of bursting
                next = Math.max(next, (now - anchorNanos) / intervalNanos + 1);
                due = anchorNanos + next * intervalNanos + jitter();
            }
            cycle = next;
            // lag counts from when the probe could have started at the earliest, not from a slot already past
            dueNanos = Math.max(due, now);
            try {
                timerTask = timer.schedule(() -> fire(this), Math.max(0, due - now), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shutDown) {
                cancelled = true;
            }
        }

        synchronized void cancel() {
            cancelled = true;
            if (timerTask != null) {
                timerTask.cancel(false);
            }
        }

        private long jitter() {
            return maxJitterNanos == 0 ? 0 : random.nextLong(-maxJitterNanos, maxJitterNanos + 1);
        }
    }
}
