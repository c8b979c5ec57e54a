package com.employable.flotilla.e2e.chaos;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.e2e.support.CloudEventRecords;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Records that break the team lifecycle contract in one way each (bad JSON, no ce_type, an unknown type, an
 * invalid team id, a region Fly does not have, a control character in a name), keyed so the run can find exactly these
 * in the dead-letter topic afterwards.
 */
final class Malformed {

    private Malformed() {}

    /** {@code count} malformed records, each keyed by a team id of its own (the run finds them by key). */
    static List<ProducerRecord<String, byte[]>> records(int count) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String team = UUID.randomUUID().toString();
            String key = team;
            String created = "{\"teamId\":\"%s\",\"revision\":1,\"name\":\"%s\",\"plan\":\"%s\","
                    + "\"region\":\"%s\",\"occurredAt\":\"2026-11-30T10:00:00Z\"}";
            ProducerRecord<String, byte[]> record = switch (i % 5) {
                case 0 -> raw(key, "{not json".getBytes(StandardCharsets.UTF_8));
                case 1 ->
                    CloudEventRecords.teamEventJson(
                            key, "com.employable.team.unknown.v1", created.formatted(team, "x", "starter", "iad"));
                case 2 ->
                    CloudEventRecords.teamEventJson(
                            key, TeamCreated.TYPE, created.formatted(team, "x", "starter", "mars"));
                case 3 ->
                    CloudEventRecords.teamEventJson(
                            key, TeamCreated.TYPE, created.formatted(team, "bad\\u0007name", "starter", "iad"));
                default ->
                    CloudEventRecords.teamEventJson(
                            key, TeamCreated.TYPE, created.formatted(team, "x", "platinum", "iad"));
            };
            records.add(record);
        }
        return records;
    }

    private static ProducerRecord<String, byte[]> raw(String key, byte[] value) {
        ProducerRecord<String, byte[]> record = CloudEventRecords.teamEventJson(key, TeamCreated.TYPE, "{}");
        return new ProducerRecord<>(Topics.TEAM_LIFECYCLE_NAME, null, key, value, record.headers());
    }
}
