package com.employable.flotilla.registry.support;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.events.TeamEvent;
import com.employable.flotilla.common.events.Topic;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.health.HealthEvent;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes events as the provisioner and the health-service do: CloudEvents binary mode, keyed by team. */
public final class Publish {

    private Publish() {}

    /** A record of the event with a fresh {@code ce_id}, stamped {@code ceTime}. */
    public static ProducerRecord<String, byte[]> record(TeamEvent event, Instant ceTime) {
        return record(event, ceTime, UUID.randomUUID().toString());
    }

    public static ProducerRecord<String, byte[]> record(TeamEvent event, Instant ceTime, String ceId) {
        if (event instanceof ServerLifecycleEvent server) {
            return build(Topics.SERVER_LIFECYCLE, server, ceTime, ceId, "flotilla/provisioner");
        }
        if (event instanceof HealthEvent health) {
            return build(Topics.HEALTH, health, ceTime, ceId, "flotilla/health");
        }
        throw new IllegalArgumentException("not an event the registry consumes: " + event);
    }

    public static void all(List<ProducerRecord<String, byte[]>> records) {
        TopicProbe.send(TestKafka.bootstrapServers(), records);
    }

    public static void events(TeamEvent... events) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        Instant now = Instant.now();
        for (TeamEvent event : events) {
            records.add(record(event, now));
        }
        all(records);
    }

    private static <E extends TeamEvent> ProducerRecord<String, byte[]> build(
            Topic<E> topic, E event, Instant ceTime, String ceId, String source) {
        return CloudEventCodec.toRecord(
                topic.name(),
                event.teamId(),
                ceId,
                topic.typeOf(event),
                source,
                ceTime,
                CloudEventCodec.writeData(event));
    }
}
