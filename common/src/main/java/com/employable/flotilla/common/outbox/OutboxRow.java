package com.employable.flotilla.common.outbox;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;

/** One unpublished row of {@code flotilla_outbox}, as the relay reads it. */
record OutboxRow(
        long id,
        String eventId,
        String topic,
        String key,
        String type,
        String source,
        Instant time,
        byte[] payload,
        String traceParent) {

    static OutboxRow read(ResultSet rs, int rowNum) throws SQLException {
        return new OutboxRow(
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

    ProducerRecord<String, byte[]> toRecord() {
        return CloudEventCodec.toRecord(topic, key, eventId, type, source, time, payload);
    }
}
