package com.employable.flotilla.common.idempotency;

import java.time.Instant;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The idempotent-consumer half of "at-least-once in, effectively-once effects": a consumer records the {@code ce_id}
 * of each event it applies in the same transaction as the effect, and a redelivered event finds its id and does
 * nothing.
 */
public class AppliedEvents {

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    public AppliedEvents(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Runs {@code effect} and records the event in one transaction (joining the caller's if there is one), unless the
     * event was applied before.
     * @return whether the effect ran
     */
    public boolean applyOnce(String consumer, String eventId, Runnable effect) {
        return applyOnce(consumer, eventId, () -> {
                    effect.run();
                    return Boolean.TRUE;
                })
                != null;
    }

    /**
     * Like {@link #applyOnce(String, String, Runnable)}, returning the effect's result, or {@code null} for a
     * duplicate.
     */
    public <T> T applyOnce(String consumer, String eventId, Supplier<T> effect) {
        return transactions.execute(status -> markApplied(consumer, eventId) ? effect.get() : null);
    }

    /**
     * Records the event as applied by {@code consumer} in the caller's transaction; concurrent deliveries of one
     * event serialise on the primary key, so exactly one of them sees {@code true}.
     * @return {@code true} the first time, {@code false} for a duplicate
     */
    public boolean markApplied(String consumer, String eventId) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("markApplied must run in the transaction of the effect it guards");
        }
        return jdbc.sql("insert into flotilla_applied_event (consumer, event_id) values (?, ?) on conflict do nothing")
                        .params(consumer, eventId)
                        .update()
                == 1;
    }

    public boolean wasApplied(String consumer, String eventId) {
        return jdbc.sql("select count(*) from flotilla_applied_event where consumer = ? and event_id = ?")
                        .params(consumer, eventId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** Forgets ids older than any redelivery could be (the consumed topics' retention). */
    public int forgetAppliedBefore(Instant cutoff) {
        return jdbc.sql("delete from flotilla_applied_event where applied_at < ?")
                .params(java.sql.Timestamp.from(cutoff))
                .update();
    }
}
