package com.employable.flotilla.health.publish;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.outbox.Outbox;
import com.employable.flotilla.health.monitor.HealthMonitor;
import com.employable.flotilla.health.monitor.Transitions;
import com.employable.flotilla.health.targets.TargetKey;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes transitions off the probe threads: one thread, in decision order (so per-target order holds), in batches.
 * Each transition is compared with the status last published for its target, in the same transaction that records
 * the new one and writes {@code health.changed} to the outbox: a restart, a replay or two instances overlapping
 * during a rebalance never publish the same status twice, and {@code previous} is what consumers last heard. While
 * the database is down, batches are retried with back-off, in order, and nothing is dropped.
 */
public class TransitionPublisher implements Transitions, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TransitionPublisher.class);

    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();

    private final Map<TargetKey, HealthStatus> published = new ConcurrentHashMap<>();

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final Outbox outbox;

    private final PublishProperties properties;

    private final Clock clock;

    private volatile boolean running;

    private volatile Thread worker;

    public TransitionPublisher(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            Outbox outbox,
            PublishProperties properties,
            MeterRegistry registry,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.outbox = outbox;
        this.properties = properties;
        this.clock = clock;
        jdbc.sql("select team_id, machine_id, status from target_status")
                .query((rs, row) -> Map.entry(new TargetKey(rs.getString(1), rs.getString(2)), parse(rs.getString(3))))
                .list()
                .forEach(entry -> published.put(entry.getKey(), entry.getValue()));
        Gauge.builder("flotilla.health.publish.queue", queue, BlockingQueue::size)
                .description("Transitions decided but not yet written")
                .register(registry);
    }

    @Override
    public void publish(HealthChanged change) {
        queue.add(new Op(new TargetKey(change.teamId(), change.machineId()), change));
    }

    @Override
    public HealthStatus lastPublished(TargetKey key) {
        return published.getOrDefault(key, HealthStatus.UNKNOWN);
    }

    @Override
    public void forget(TargetKey key) {
        queue.add(new Op(key, null));
    }

    /** Transitions and removals not yet written. */
    public int pending() {
        return queue.size();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = new Thread(this::run, "health-transition-publisher");
        worker.setDaemon(true);
        worker.start();
    }

    /** Writes what is queued (bounded by the lifecycle timeout), then stops. */
    @Override
    public synchronized void stop() {
        running = false;
        Thread current = worker;
        if (current != null) {
            try {
                current.join(10_000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        worker = null;
        if (!queue.isEmpty()) {
            log.warn(
                    "{} health transition(s) not written at shutdown; they are decided again after restart",
                    queue.size());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the monitor (no new transitions), before the outbox relay (which sends what was written). */
    @Override
    public int getPhase() {
        return HealthMonitor.PHASE - 256;
    }

    private void run() {
        List<Op> batch = new ArrayList<>();
        long backOffMs = 50;
        while (running || !queue.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Op first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, properties.batchSize() - 1);
                }
                write(batch);
                batch.clear();
                backOffMs = 50;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException failure) {
                if (!running) {
                    return;
                }
                log.warn(
                        "Could not write {} health transition(s), retrying in {} ms: {}",
                        batch.size(),
                        backOffMs,
                        failure.toString());
                sleep(backOffMs);
                backOffMs = Math.min(backOffMs * 2, properties.maxBackOff().toMillis());
            }
        }
    }

    private void write(List<Op> batch) {
        List<Runnable> afterCommit = new ArrayList<>();
        transactions.executeWithoutResult(status -> {
            afterCommit.clear();
            for (Op op : batch) {
                afterCommit.add(op.change() == null ? remove(op.key()) : record(op.key(), op.change()));
            }
        });
        afterCommit.forEach(Runnable::run);
    }

    private Runnable record(TargetKey key, HealthChanged change) {
        Optional<HealthStatus> before = jdbc.sql(
                        "select status from target_status where team_id = ? and machine_id = ? for update")
                .params(key.teamId(), key.machineId())
                .query((rs, row) -> parse(rs.getString(1)))
                .optional();
        if (before.isPresent() && before.get() == change.status()) {
            // consumers already heard this status (before a restart, or from another instance)
            return () -> published.put(key, change.status());
        }
        HealthChanged event = new HealthChanged(
                change.teamId(),
                change.machineId(),
                change.status(),
                before.orElse(null),
                change.checkedAt(),
                change.latencyMs(),
                change.failure(),
                change.consecutiveFailures());
        jdbc.sql("""
                insert into target_status (team_id, machine_id, status, changed_at) values (?, ?, ?, ?)
                on conflict (team_id, machine_id) do update set status = excluded.status, changed_at = excluded.changed_at""")
                .params(key.teamId(), key.machineId(), name(change.status()), Timestamp.from(clock.instant()))
                .update();
        outbox.publish(Topics.HEALTH, event);
        return () -> published.put(key, change.status());
    }

    private Runnable remove(TargetKey key) {
        jdbc.sql("delete from target_status where team_id = ? and machine_id = ?")
                .params(key.teamId(), key.machineId())
                .update();
        return () -> published.remove(key);
    }

    private static String name(HealthStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    private static HealthStatus parse(String status) {
        return HealthStatus.valueOf(status.toUpperCase(Locale.ROOT));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A transition to write, or ({@code change == null}) a target to forget. */
    private record Op(TargetKey key, HealthChanged change) {}
}
