package com.employable.flotilla.common.cloudevents;

import java.time.Instant;

/**
 * An event as it travels: its CloudEvents attributes and its data. What listeners receive and what the outbox sends.
 *
 * @param id {@code ce_id}, unique per event; consumers de-duplicate on it
 * @param type {@code ce_type}, the logical event type
 * @param source {@code ce_source}, the producing service (e.g. {@code flotilla/provisioner})
 * @param time {@code ce_time}, when the event was produced; may be absent on events from outside
 * @param subject {@code ce_subject}: the team id, equal to the record key
 * @param data the event, or {@code null} for a tombstone on a compacted topic
 */
public record EventEnvelope<E>(String id, String type, String source, Instant time, String subject, E data) {

    public boolean isTombstone() {
        return data == null;
    }

    /** The team the event is about (the record key). */
    public String teamId() {
        return subject;
    }
}
