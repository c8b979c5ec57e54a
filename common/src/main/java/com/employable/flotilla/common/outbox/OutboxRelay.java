package com.employable.flotilla.common.outbox;

import com.employable.flotilla.common.idempotency.AppliedEvents;
import com.employable.flotilla.common.tracing.TraceParent;
import io.opentelemetry.context.Scope;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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
 *
 * <p>Failures are classified ({@link SendFailures}). A row Kafka refuses for good (too large, an invalid topic, not
 * serializable) is moved, with the reason, to the table {@code flotilla_outbox_dead_letter} and the relay carries on
 * with the next rows: one such row used to stop the relay for every team. It goes to a table rather than to
 * {@code <topic>-dlt} because what Kafka refused for its size or topic it would refuse there too. Any other failure
 * (the broker down, a timeout) stops the batch at that row, which is sent again with everything after it, in order,
 * after a back-off, for as long as the failure lasts.
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

    private final AtomicLong deadLettered = new AtomicLong();

    private final AtomicLong transientFailures = new AtomicLong();

    private final OutboxSettlement settlement;

    private volatile boolean running;

    private volatile Thread worker;

    private long nextHousekeeping;

    public OutboxRelay(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            KafkaOperations<String, byte[]> kafka,
            AppliedEvents appliedEvents,
            OutboxProperties properties) {
        this(jdbc, transactions, kafka, appliedEvents, properties, topic -> {});
    }

    /** @param deadLetterCounter told the topic of every row moved to the dead-letter table (a metric) */
    public OutboxRelay(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            KafkaOperations<String, byte[]> kafka,
            AppliedEvents appliedEvents,
            OutboxProperties properties,
            Consumer<String> deadLetterCounter) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.kafka = kafka;
        this.appliedEvents = appliedEvents;
        this.properties = properties;
        this.settlement = new OutboxSettlement(jdbc, properties.sendTimeout(), deadLetterCounter);
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

    /** Rows moved to {@code flotilla_outbox_dead_letter} since this relay was created. */
    public long deadLetteredCount() {
        return deadLettered.get();
    }

    /** Batches stopped by a transient failure (then retried) since this relay was created. */
    public long transientFailureCount() {
        return transientFailures.get();
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
     * Sends one batch, in id order, and settles each row in the same transaction: acknowledged rows are marked
     * published, a row Kafka refused for good ({@link SendFailures}) is moved to {@code flotilla_outbox_dead_letter}
     * with the reason, and at the first row that failed for any other reason the batch stops: that row and everything
     * after it are sent again, in order, after a back-off.
     *
     * @return rows settled (published or dead-lettered)
     * @throws IllegalStateException after committing what was settled, when a row failed transiently
     */
    int relayBatch() {
        OutboxSettlement.Settled settled = transactions.execute(status -> {
            Boolean leader = jdbc.sql(
                            "select pg_try_advisory_xact_lock(hashtext(current_schema() || '.flotilla_outbox'))")
                    .query(Boolean.class)
                    .single();
            if (!Boolean.TRUE.equals(leader)) {
                return OutboxSettlement.Settled.NOTHING;
            }
            List<OutboxRow> rows = jdbc.sql("""
                    select id, event_id, topic, message_key, ce_type, ce_source, ce_time, payload, trace_parent
                    from flotilla_outbox where published_at is null order by id limit ?""")
                    .param(properties.batchSize())
                    .query(OutboxRow::read)
                    .list();
            if (rows.isEmpty()) {
                return OutboxSettlement.Settled.NOTHING;
            }
            List<CompletableFuture<?>> acks = new ArrayList<>(rows.size());
            for (OutboxRow row : rows) {
                acks.add(send(row));
            }
            return settlement.settle(rows, acks);
        });
        OutboxSettlement.Settled result = settled == null ? OutboxSettlement.Settled.NOTHING : settled;
        published.addAndGet(result.published());
        deadLettered.addAndGet(result.deadLettered());
        if (result.transientFailure() != null) {
            transientFailures.incrementAndGet();
            throw new IllegalStateException(
                    "Kafka did not acknowledge outbox row " + result.failedRowId() + "; it and the rows after it are "
                            + "retried in order: " + SendFailures.reason(result.transientFailure()),
                    result.transientFailure());
        }
        return result.published() + result.deadLettered();
    }

    private CompletableFuture<?> send(OutboxRow row) {
        ProducerRecord<String, byte[]> record;
        try {
            record = row.toRecord();
        } catch (RuntimeException unbuildable) {
            return CompletableFuture.failedFuture(new SendFailures.UnpublishableRow(unbuildable));
        }
        // the send continues the trace the event was written in (the agent injects it into the headers)
        try (Scope ignored = TraceParent.resume(row.traceParent())) {
            return kafka.send(record);
        } catch (RuntimeException refused) {
            // a send can fail before it returns a future (a serializer, a producer that cannot be created)
            return CompletableFuture.failedFuture(refused);
        }
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
}
