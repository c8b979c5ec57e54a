package com.employable.flotilla.devstack.events;

import com.employable.flotilla.common.events.Require;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.team.TeamLifecycleEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Team lifecycle events as employable puts them on Kafka: the CloudEvents 1.0 Kafka protocol binding in binary
 * content mode ({@code ce_*} headers, the data as the JSON value, the team id as the key). Written from the
 * specification and the contracts rather than with the services' codec, as employable's own producer would be, so
 * the demo exercises the platform against an independent producer.
 */
public final class TeamLifecycleRecords {

    /** A missing number is refused rather than read as 0, as the platform's consumers do. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private TeamLifecycleRecords() {}

    /** A new event from {@code source}, now. */
    public static ProducerRecord<String, byte[]> of(String source, TeamLifecycleEvent event) {
        return of(
                Topics.TEAM_LIFECYCLE.typeOf(event),
                event.teamId(),
                UUID.randomUUID().toString(),
                source,
                Instant.now(),
                JSON.writeValueAsBytes(event));
    }

    public static ProducerRecord<String, byte[]> of(
            String type, String teamId, String id, String source, Instant time, byte[] data) {
        var record = new ProducerRecord<String, byte[]>(Topics.TEAM_LIFECYCLE_NAME, teamId, data);
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", id);
        header(record, "ce_source", source);
        header(record, "ce_type", type);
        header(record, "ce_time", time.toString());
        header(record, "ce_subject", teamId);
        header(record, "content-type", "application/json");
        return record;
    }

    /**
     * What every consumer checks before it acts on a team lifecycle event, so a bad file is refused here rather than
     * dead-lettered there.
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void validate(String type, String source, String teamId, byte[] data) {
        Class<? extends TeamLifecycleEvent> dataType = Topics.TEAM_LIFECYCLE
                .classOf(type)
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown type '" + type + "' for topic " + Topics.TEAM_LIFECYCLE_NAME));
        if (!Topics.TEAM_LIFECYCLE.producedBy(source)) {
            throw new IllegalArgumentException("source '" + source + "' is not the producer of "
                    + Topics.TEAM_LIFECYCLE_NAME + " (" + Topics.TEAM_LIFECYCLE.producer() + ")");
        }
        if (!Require.isTeamId(teamId)) {
            throw new IllegalArgumentException("data.teamId is not a valid team id");
        }
        try {
            JSON.readValue(data, dataType);
        } catch (ValueInstantiationException invalid) {
            // the record's own constructor refused it: its message names the field
            Throwable cause = invalid.getCause() != null ? invalid.getCause() : invalid;
            throw new IllegalArgumentException("invalid " + dataType.getSimpleName() + ": " + cause.getMessage());
        } catch (JacksonException mismatch) {
            throw new IllegalArgumentException(
                    "invalid " + dataType.getSimpleName() + ": " + mismatch.getOriginalMessage());
        }
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
