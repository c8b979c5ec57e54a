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
            ProducerRecord<String, byte[]> record = switch (i % 5) {
                case 0 -> raw(key, "{not json".getBytes(StandardCharsets.UTF_8));
                case 1 ->
                    CloudEventRecords.teamEvent(
                            key,
                            "com.employable.team.unknown.v1",
                            new TeamCreated(team, 1, "x", "starter", "iad", java.time.Instant.now()));
                case 2 ->
                    CloudEventRecords.teamEvent(
                            key,
                            TeamCreated.TYPE,
                            new TeamCreated(team, 1, "x", "starter", "mars", java.time.Instant.now()));
                case 3 ->
                    CloudEventRecords.teamEvent(
                            key,
                            TeamCreated.TYPE,
                            new TeamCreated(team, 1, "bad\u0007name", "starter", "iad", java.time.Instant.now()));
                default ->
                    CloudEventRecords.teamEvent(
                            key,
                            TeamCreated.TYPE,
                            new TeamCreated(team, 1, "x", "platinum", "iad", java.time.Instant.now()));
            };
            records.add(record);
        }
        return records;
    }

    private static ProducerRecord<String, byte[]> raw(String key, byte[] value) {
        ProducerRecord<String, byte[]> record = CloudEventRecords.teamEvent(key, TeamCreated.TYPE, "x");
        return new ProducerRecord<>(Topics.TEAM_LIFECYCLE_NAME, null, key, value, record.headers());
    }
}
