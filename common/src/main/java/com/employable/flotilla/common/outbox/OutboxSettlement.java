package com.employable.flotilla.common.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Settles a sent batch of outbox rows in the relay's transaction: acknowledged rows are marked published, a row Kafka
 * refused for good is moved to {@code flotilla_outbox_dead_letter} with the reason, and the first row that failed for
 * any other reason stops the batch there (see {@link OutboxRelay}).
 */
final class OutboxSettlement {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final JdbcClient jdbc;

    private final Duration sendTimeout;

    private final Consumer<String> deadLetterCounter;

    OutboxSettlement(JdbcClient jdbc, Duration sendTimeout, Consumer<String> deadLetterCounter) {
        this.jdbc = jdbc;
        this.sendTimeout = sendTimeout;
        this.deadLetterCounter = deadLetterCounter;
    }

    /** Settles rows in order up to the first transient failure, within one deadline for all acknowledgements. */
    Settled settle(List<OutboxRow> rows, List<CompletableFuture<?>> acks) {
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        List<Long> publishedIds = new ArrayList<>();
        int deadLetteredRows = 0;
        Throwable transientFailure = null;
        long failedRowId = 0;
        for (int i = 0; i < rows.size() && transientFailure == null; i++) {
            OutboxRow row = rows.get(i);
            try {
                acks.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                publishedIds.add(row.id());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                transientFailure = interrupted;
                failedRowId = row.id();
            } catch (Exception failed) {
                Throwable cause = failed instanceof ExecutionException ? failed.getCause() : failed;
                Optional<Throwable> permanent = SendFailures.permanent(cause);
                if (permanent.isPresent()) {
                    deadLetter(row, SendFailures.reason(permanent.get()));
                    deadLetteredRows++;
                } else {
                    transientFailure = cause;
                    failedRowId = row.id();
                }
            }
        }
        if (!publishedIds.isEmpty()) {
            jdbc.sql("update flotilla_outbox set published_at = now() where id = any(?)")
                    .param(publishedIds.toArray(Long[]::new))
                    .update();
        }
        return new Settled(publishedIds.size(), deadLetteredRows, transientFailure, failedRowId);
    }

    private void deadLetter(OutboxRow row, String reason) {
        jdbc.sql("""
                insert into flotilla_outbox_dead_letter (id, event_id, topic, message_key, ce_type, ce_source, ce_time,
                                                         payload, trace_parent, created_at, reason)
                select id, event_id, topic, message_key, ce_type, ce_source, ce_time, payload, trace_parent,
                       created_at, ?
                from flotilla_outbox where id = ?""").params(reason, row.id()).update();
        jdbc.sql("delete from flotilla_outbox where id = ?").param(row.id()).update();
        deadLetterCounter.accept(row.topic());
        // the payload stays out of the log: it is in the table for whoever is allowed to read it
        log.error(
                "Outbox row {} ({} {} for {}) can never be published; moved to flotilla_outbox_dead_letter: {}",
                row.id(),
                row.type(),
                row.eventId(),
                row.key(),
                reason);
    }

    /** What one batch settled; a transient failure stops it at {@code failedRowId}. */
    record Settled(int published, int deadLettered, Throwable transientFailure, long failedRowId) {
        static final Settled NOTHING = new Settled(0, 0, null, 0);
    }
}
