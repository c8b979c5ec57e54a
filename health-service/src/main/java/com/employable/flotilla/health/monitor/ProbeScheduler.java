package com.employable.flotilla.health.monitor;

import com.employable.flotilla.common.tracing.TraceParent;
import com.employable.flotilla.health.probe.ProbeResult;
import com.employable.flotilla.health.probe.Prober;
import com.employable.flotilla.health.targets.ProbeTarget;
import com.employable.flotilla.health.targets.TargetKey;
import io.opentelemetry.context.Scope;
import java.time.Duration;
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
 * targets, and each run deviates from its slot by a bounded random jitter that does not accumulate. A target added to
 * be probed at once (a machine that just started) is probed right away and then at its slot; after each probe the
 * listener decides whether the next one comes at the slot or sooner ({@link NextProbe}). One timer thread starts
 * probes (which do not block); a target is never probed twice at once; at most {@code max-in-flight} probes run, the
 * rest wait their turn.
 */
final class ProbeScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProbeScheduler.class);

    private static final double GOLDEN_RATIO_FRACTION = 0.6180339887498949;

    /** Hears when a probe starts (with how late it is) and how it ended. */
    interface Listener {

        void started(ProbeTarget target, long lagNanos);

        /** @return when to probe the target next */
        NextProbe finished(ProbeTarget target, ProbeResult result);
    }

    private final Prober prober;

    private final Listener listener;

    private final RandomGenerator random;

    private final long intervalNanos;

    private final long maxJitterNanos;

    private final long confirmNanos;

    private final long startupNanos;

    private final int maxInFlight;

    private final ScheduledThreadPoolExecutor timer;

    private final Map<TargetKey, Slot> slots = new ConcurrentHashMap<>();

    private final Map<TargetKey, String> firstProbeTraces = new ConcurrentHashMap<>();

    private final Set<TargetKey> running = ConcurrentHashMap.newKeySet();

    private final Queue<Slot> waiting = new ConcurrentLinkedQueue<>();

    private final AtomicInteger inFlight = new AtomicInteger();

    private long added;

    /**
     * @param confirmAfter how long after a probe started the next one runs when the listener wants a confirmation
     */
    ProbeScheduler(
            Prober prober,
            ScheduleProperties properties,
            Duration confirmAfter,
            Listener listener,
            RandomGenerator random) {
        this.prober = prober;
        this.listener = listener;
        this.random = random;
        this.intervalNanos = properties.interval().toNanos();
        this.maxJitterNanos = (long) (intervalNanos * properties.jitter());
        this.confirmNanos = confirmAfter.toNanos();
        this.startupNanos = properties.startupInterval().toNanos();
        this.maxInFlight = properties.maxInFlight();
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "health-probe-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Starts probing a target, or points the next probes of a known target at its new endpoint.
     *
     * @param atOnce probe a new target right away (then at its slot) instead of first at its slot
     */
    void schedule(ProbeTarget target, boolean atOnce) {
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
            if (atOnce) {
                slot.planAt(now, now);
            } else {
                slot.planOnSchedule(now, 0);
            }
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
            // an earlier incarnation of this target (removed and added again) is still being probed: try again soon
            slot.planAt(now + startupNanos, now);
            return;
        }
        slot.startedNanos = now;
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
                    NextProbe next = result == null ? NextProbe.ON_SCHEDULE : listener.finished(target, result);
                    long now = System.nanoTime();
                    switch (next) {
                        case ON_SCHEDULE -> slot.planOnSchedule(now, intervalNanos / 2);
                        case CONFIRM -> slot.planAt(slot.startedNanos + confirmNanos, now);
                        case RETRY_STARTUP -> slot.planAt(slot.startedNanos + startupNanos, now);
                    }
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

        /** The latest slot (whole intervals after the anchor) planned; -1 before the first. */
        private long cycle = -1;

        private long dueNanos;

        private volatile long startedNanos;

        private ScheduledFuture<?> timerTask;

        private volatile boolean cancelled;

        Slot(ProbeTarget target, long anchorNanos) {
            this.target = target;
            this.anchorNanos = anchorNanos;
        }

        /**
         * Plans the next probe at the first slot not planned yet that is at least {@code minGapNanos} from now (plus
         * jitter): a probe that overran whole intervals, or an extra one, resumes the slots instead of bursting.
         */
        synchronized void planOnSchedule(long now, long minGapNanos) {
            cycle = Math.max(cycle + 1, Math.ceilDiv(now + minGapNanos - anchorNanos, intervalNanos));
            plan(anchorNanos + cycle * intervalNanos + jitter(), now);
        }

        /** Plans the next probe at {@code due} (or now, if that is past), off the slots. */
        synchronized void planAt(long due, long now) {
            plan(due, now);
        }

        private void plan(long due, long now) {
            if (cancelled) {
                return;
            }
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
