package com.employable.flotilla.common.outbox;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.idempotency.AppliedEvents;
import com.employable.flotilla.common.tracing.TraceParent;
import io.opentelemetry.context.Scope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends committed outbox rows to Kafka in id order, then marks them published in the same transaction that read
 * them. One relay per database schema publishes at a time (a transaction-scoped advisory lock), so several instances
 * of a service never interleave one team's events. A relay stopped between sending and marking (a crash) sends those
 * rows again on restart with the same {@code ce_id}, which consumers de-duplicate; a graceful stop finishes its batch.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private static final long HOUSEKEEPING_EVERY_MS = 3_600_000;

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final KafkaOperations<String, byte[]> kafka;

    private final AppliedEvents appliedEvents;

    private final OutboxProperties properties;

    private final Semaphore wakeUps = new Semaphore(0);

    private final AtomicLong published = new AtomicLong();

    private volatile boolean running;

    private volatile Thread worker;

    private long nextHousekeeping;

    public OutboxRelay(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            KafkaOperations<String, byte[]> kafka,
            AppliedEvents appliedEvents,
            OutboxProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.kafka = kafka;
        this.appliedEvents = appliedEvents;
        this.properties = properties;
    }

    /** Called after a transaction that wrote outbox rows commits. */
    public void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    /** Rows sent and marked since this relay was created. */
    public long publishedCount() {
        return published.get();
    }

    public long pendingCount() {
        return jdbc.sql("select count(*) from flotilla_outbox where published_at is null")
                .query(Long.class)
                .single();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = new Thread(this::run, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    /** Lets the batch under way finish (so it is marked published), then returns. */
    @Override
    public synchronized void stop() {
        running = false;
        wakeUps.release();
        Thread current = worker;
        if (current != null) {
            try {
                current.join(properties.sendTimeout().toMillis() + 5_000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        worker = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the Kafka producer is no longer needed by anything else and starts after the schema exists. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }

    private void run() {
        long backOffMs = 100;
        while (running) {
            try {
                int sent = relayBatch();
                backOffMs = 100;
                housekeeping();
                if (sent < properties.batchSize()) {
                    wakeUps.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException failure) {
                log.warn("Outbox relay could not publish, retrying in {} ms: {}", backOffMs, failure.toString());
                sleepQuietly(backOffMs);
                backOffMs = Math.min(backOffMs * 2, 5_000);
            }
        }
    }

    /**
     * Sends one batch and marks what Kafka acknowledged.
     * @return rows published
     */
    int relayBatch() {
        Integer sent = transactions.execute(status -> {
            Boolean leader = jdbc.sql(
                            "select pg_try_advisory_xact_lock(hashtext(current_schema() || '.flotilla_outbox'))")
                    .query(Boolean.class)
                    .single();
            if (!Boolean.TRUE.equals(leader)) {
                return 0;
            }
            List<Row> rows = jdbc.sql("""
                    select id, event_id, topic, message_key, ce_type, ce_source, ce_time, payload, trace_parent
                    from flotilla_outbox where published_at is null order by id limit ?""")
                    .param(properties.batchSize())
                    .query(OutboxRelay::row)
                    .list();
            if (rows.isEmpty()) {
                return 0;
            }
            List<CompletableFuture<?>> acks = new ArrayList<>(rows.size());
            for (Row row : rows) {
                // the send continues the trace the event was written in (the agent injects it into the headers)
                try (Scope ignored = TraceParent.resume(row.traceParent())) {
                    acks.add(kafka.send(row.toRecord()));
                }
            }
            int acknowledged = acknowledgedPrefix(acks);
            if (acknowledged > 0) {
                long lastId = rows.get(acknowledged - 1).id();
                jdbc.sql(
                                "update flotilla_outbox set published_at = now() where published_at is null and id <= ? and id >= ?")
                        .params(lastId, rows.get(0).id())
                        .update();
            }
            if (acknowledged < rows.size()) {
                throw new IllegalStateException("Kafka acknowledged " + acknowledged + " of " + rows.size()
                        + " outbox rows; the rest are retried in order");
            }
            return acknowledged;
        });
        int count = sent == null ? 0 : sent;
        published.addAndGet(count);
        return count;
    }

    /**
     * How many sends, from the first, Kafka acknowledged: only a prefix is marked, so a failed row and everything
     * after it are sent again in order.
     */
    private int acknowledgedPrefix(List<CompletableFuture<?>> acks) {
        long deadline = System.nanoTime() + properties.sendTimeout().toNanos();
        int prefix = 0;
        for (CompletableFuture<?> ack : acks) {
            try {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                prefix++;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception failed) {
                break;
            }
        }
        return prefix;
    }

    private void housekeeping() {
        long now = System.currentTimeMillis();
        if (now < nextHousekeeping) {
            return;
        }
        nextHousekeeping = now + HOUSEKEEPING_EVERY_MS;
        Instant cutoff = Instant.now().minus(properties.retention());
        int purged = jdbc.sql("delete from flotilla_outbox where published_at < ?")
                .param(Timestamp.from(cutoff))
                .update();
        Integer forgotten = transactions.execute(
                status -> appliedEvents.forgetAppliedBefore(Instant.now().minus(properties.appliedEventRetention())));
        if (purged > 0 || (forgotten != null && forgotten > 0)) {
            log.info("Outbox housekeeping removed {} published rows and {} applied event ids", purged, forgotten);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static Row row(ResultSet rs, int rowNum) throws SQLException {
        return new Row(
                rs.getLong("id"),
                rs.getString("event_id"),
                rs.getString("topic"),
                rs.getString("message_key"),
                rs.getString("ce_type"),
                rs.getString("ce_source"),
                rs.getTimestamp("ce_time").toInstant(),
                rs.getBytes("payload"),
                rs.getString("trace_parent"));
    }

    private record Row(
            long id,
            String eventId,
            String topic,
            String key,
            String type,
            String source,
            Instant time,
            byte[] payload,
            String traceParent) {

        ProducerRecord<String, byte[]> toRecord() {
            return CloudEventCodec.toRecord(topic, key, eventId, type, source, time, payload);
        }
    }
}
