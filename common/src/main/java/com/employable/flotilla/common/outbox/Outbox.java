package com.employable.flotilla.common.outbox;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.TeamEvent;
import com.employable.flotilla.common.events.Topic;
import com.employable.flotilla.common.tracing.TraceParent;
import java.sql.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Where a service publishes: the event is written to the outbox table in the caller's transaction, so it is sent
 * if and only if the change that caused it commits (no dual write). The relay is woken on commit.
 */
public class Outbox {

    private final JdbcClient jdbc;

    private final CloudEventCodec codec;

    private final Runnable wakeRelay;

    public Outbox(JdbcClient jdbc, CloudEventCodec codec, Runnable wakeRelay) {
        this.jdbc = jdbc;
        this.codec = codec;
        this.wakeRelay = wakeRelay;
    }

    /**
     * Publishes {@code event} on {@code topic}, keyed by its team, once the current transaction commits.
     * @return the event's {@code ce_id}
     */
    public <E extends TeamEvent> String publish(Topic<E> topic, E event) {
        EventEnvelope<E> envelope = codec.envelope(topic, event);
        insert(topic.name(), envelope.subject(), envelope, CloudEventCodec.writeData(event));
        return envelope.id();
    }

    /** Publishes a tombstone (null value) for a team on a compacted topic: the team is gone. */
    public <E extends TeamEvent> String publishTombstone(Topic<E> topic, String teamId, String ceType) {
        if (!topic.compacted()) {
            throw new IllegalArgumentException(topic.name() + " is not compacted: tombstones mean nothing there");
        }
        EventEnvelope<E> envelope = codec.tombstone(ceType, teamId);
        insert(topic.name(), teamId, envelope, null);
        return envelope.id();
    }

    private void insert(String topic, String key, EventEnvelope<?> envelope, byte[] payload) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("publish through the outbox inside the transaction of the change");
        }
        jdbc.sql("""
                insert into flotilla_outbox (event_id, topic, message_key, ce_type, ce_source, ce_time, payload,
                                             trace_parent)
                values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        envelope.id(),
                        topic,
                        key,
                        envelope.type(),
                        envelope.source(),
                        Timestamp.from(envelope.time()),
                        payload,
                        TraceParent.current())
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                wakeRelay.run();
            }
        });
    }
}
