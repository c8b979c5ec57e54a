package com.employable.flotilla.devstack.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.team.TeamCreated;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class TeamLifecycleRecordsTest {

    private static final byte[] CREATED = """
            {"teamId":"acme-sales","revision":1,"name":"Acme","plan":"starter","region":"fra",\
            "occurredAt":"2026-01-01T00:00:00Z"}""".getBytes(StandardCharsets.UTF_8);

    @Test
    void writesTheBinaryModeHeadersOfTheCloudEventsKafkaBinding() {
        var record = TeamLifecycleRecords.of(
                "employable/devstack", new TeamCreated("acme-sales", 1, "Acme", "starter", "fra", Instant.EPOCH));

        assertThat(record.topic()).isEqualTo(Topics.TEAM_LIFECYCLE_NAME);
        assertThat(record.key()).isEqualTo("acme-sales");
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_type")).isEqualTo(TeamCreated.TYPE);
        assertThat(header(record, "ce_source")).isEqualTo("employable/devstack");
        assertThat(header(record, "ce_subject")).isEqualTo("acme-sales");
        assertThat(header(record, "ce_id")).isNotBlank();
        assertThat(Instant.parse(header(record, "ce_time"))).isNotNull();
        assertThat(header(record, "content-type")).isEqualTo("application/json");
        assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .contains("\"occurredAt\":\"1970-01-01T00:00:00Z\"");
    }

    @Test
    void acceptsAValidEventAndRefusesWhatEveryConsumerWouldDeadLetter() {
        TeamLifecycleRecords.validate(TeamCreated.TYPE, "employable/web", "acme-sales", CREATED);

        assertThatThrownBy(() -> TeamLifecycleRecords.validate(
                        "com.employable.team.renamed.v1", "employable", "acme-sales", CREATED))
                .hasMessageContaining("unknown type");
        assertThatThrownBy(() ->
                        TeamLifecycleRecords.validate(TeamCreated.TYPE, "flotilla/provisioner", "acme-sales", CREATED))
                .hasMessageContaining("is not the producer");
        assertThatThrownBy(() -> TeamLifecycleRecords.validate(TeamCreated.TYPE, "employable", "Acme", CREATED))
                .hasMessageContaining("not a valid team id");
        byte[] withoutPlan = new String(CREATED, StandardCharsets.UTF_8)
                .replace("\"plan\":\"starter\",", "")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(
                        () -> TeamLifecycleRecords.validate(TeamCreated.TYPE, "employable", "acme-sales", withoutPlan))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plan");
        byte[] withoutRevision = new String(CREATED, StandardCharsets.UTF_8)
                .replace("\"revision\":1,", "")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() ->
                        TeamLifecycleRecords.validate(TeamCreated.TYPE, "employable", "acme-sales", withoutRevision))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("revision");
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
