package com.employable.flotilla.e2e.support;

import com.employable.flotilla.common.events.Topic;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.team.TeamCreated;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.databind.json.JsonMapper;

/**
 * Events as employable puts them on Kafka and as an outside reader takes them off: the CloudEvents 1.0 Kafka protocol
 * binding in binary content mode ({@code ce_*} headers, the data as the JSON value, the team id as the key), written
 * from the specification and the contracts, not with the services' codec, so the platform is checked against an
 * independent producer.
 */
public final class CloudEventRecords {

    /** Plain Jackson: the contract records carry their wire names and rules in their own annotations. */
    public static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String SOURCE = "employable/e2e";

    private CloudEventRecords() {}

    /** A {@code team.created} as employable publishes it now. */
    public static ProducerRecord<String, byte[]> teamCreated(String teamId, String name, String plan, String region) {
        return teamEvent(teamId, TeamCreated.TYPE, new TeamCreated(teamId, 1, name, plan, region, Instant.now()));
    }

    /** Any team lifecycle event as employable publishes it, with a fresh {@code ce_id}. */
    public static ProducerRecord<String, byte[]> teamEvent(String teamId, String ceType, Object data) {
        return teamEventJson(teamId, ceType, JSON.writeValueAsString(data));
    }

    /** A team lifecycle record whose data is exactly the given JSON text (for data no contract record would hold). */
    public static ProducerRecord<String, byte[]> teamEventJson(String teamId, String ceType, String json) {
        var record = new ProducerRecord<String, byte[]>(
                Topics.TEAM_LIFECYCLE_NAME, teamId, json.getBytes(StandardCharsets.UTF_8));
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", UUID.randomUUID().toString());
        header(record, "ce_source", SOURCE);
        header(record, "ce_type", ceType);
        header(record, "ce_time", Instant.now().toString());
        header(record, "ce_subject", teamId);
        header(record, "content-type", "application/json");
        return record;
    }

    /** The {@code ce_type} of a binary-mode record. */
    public static Optional<String> type(ConsumerRecord<String, byte[]> record) {
        Header type = record.headers().lastHeader("ce_type");
        return type == null ? Optional.empty() : Optional.of(new String(type.value(), StandardCharsets.UTF_8));
    }

    /** The data of a binary-mode record, bound to the record its {@code ce_type} names on {@code topic}. */
    public static <E> E data(Topic<E> topic, ConsumerRecord<String, byte[]> record) {
        String type = type(record).orElseThrow(() -> new AssertionError("no ce_type on " + record));
        Class<? extends E> dataType =
                topic.classOf(type).orElseThrow(() -> new AssertionError(type + " is not declared on " + topic.name()));
        return JSON.readValue(record.value(), dataType);
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
