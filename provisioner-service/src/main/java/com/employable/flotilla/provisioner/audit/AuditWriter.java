package com.employable.flotilla.provisioner.audit;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes audit rows off the caller's thread, as many as are waiting in one batch and one transaction. A reconcile makes
 * about twenty Fly calls per team; written one transaction each on the reconcile's own thread they cost a database
 * connection and a commit per call, and in a burst of new teams the workers queued for connections behind them. The
 * queue is bounded: when the database cannot keep up, rows are dropped and counted rather than holding reconciles up
 * (the audit was never allowed to fail a reconcile). On close, what is queued is written first.
 */
final class AuditWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);
    private static final int BATCH = 500;
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);

    record Row(
            Instant at,
            String actor,
            String teamId,
            String endpoint,
            String method,
            String path,
            int status,
            int durationMs,
            String error) {}

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final BlockingQueue<Row> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;
    private volatile Instant lastWarning = Instant.EPOCH;

    AuditWriter(JdbcTemplate jdbc, TransactionTemplate transaction, int capacity) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = Thread.ofPlatform().daemon().name("fly-call-audit").start(this::run);
    }

    /** Queues a row; false (and counted) when the queue is full. */
    boolean offer(Row row) {
        if (!closing && queue.offer(row)) {
            accepted.incrementAndGet();
            return true;
        }
        long total = dropped.incrementAndGet();
        Instant now = Instant.now();
        if (now.isAfter(lastWarning.plus(WARN_EVERY))) {
            lastWarning = now;
            log.warn("Fly call audit is behind: {} rows dropped so far (the database does not keep up)", total);
        }
        return false;
    }

    long dropped() {
        return dropped.get();
    }

    /** Waits until every row queued before this call is written (or dropped), at most {@code timeout}. */
    boolean flush(Duration timeout) {
        long target = accepted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (written.get() < target && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return written.get() >= target;
    }

    private void run() {
        var batch = new ArrayList<Row>(BATCH);
        while (true) {
            try {
                Row first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                write(batch);
                written.addAndGet(batch.size());
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void write(List<Row> rows) {
        try {
            transaction.executeWithoutResult(status -> insert(rows));
        } catch (RuntimeException e) {
            dropped.addAndGet(rows.size());
            log.warn("Could not write {} Fly call audit rows: {}", rows.size(), e.getMessage());
        }
    }

    private void insert(List<Row> rows) {
        jdbc.batchUpdate("""
                    insert into fly_call (at, actor, team_id, endpoint, method, path, status, duration_ms, error)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows, rows.size(), (statement, row) -> {
            statement.setTimestamp(1, Timestamp.from(row.at()));
            statement.setString(2, row.actor());
            statement.setString(3, row.teamId());
            statement.setString(4, row.endpoint());
            statement.setString(5, row.method());
            statement.setString(6, row.path());
            statement.setInt(7, row.status());
            statement.setInt(8, row.durationMs());
            statement.setString(9, row.error());
        });
    }

    @Override
    public void close() {
        closing = true;
        try {
            writer.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
