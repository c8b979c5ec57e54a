package com.employable.flotilla.common.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.CloudEventHeaders;
import com.employable.flotilla.common.cloudevents.EventJson;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.common.kafka.DeadLetters;
import com.employable.flotilla.common.kafka.RetryMetricsConfiguration;
import com.employable.flotilla.common.testsupport.FlotillaTestProperties;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Kafka conventions on a real broker and a real PostgreSQL: malformed records are dead-lettered with their
 * reason while the records around them are processed, so is a record the listener finds to break the contract, at
 * once; any other listener failure is retried until it succeeds, and a redelivered event has no second effect.
 */
@SpringBootTest(
        classes = ConventionsTestApplication.class,
        properties = {
            "flotilla.kafka.source=flotilla/conventions-it",
            "flotilla.kafka.topics=employable.team.lifecycle.v1",
            "flotilla.kafka.retry.initial-interval=20ms",
            "flotilla.kafka.retry.max-interval=500ms",
            "spring.kafka.consumer.auto-offset-reset=earliest",
            "spring.flyway.locations=classpath:db/conventions-it"
        })
class KafkaConventionsIT {

    private static final String TOPIC = Topics.TEAM_LIFECYCLE.name();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        FlotillaTestProperties.register(registry, "conventions_it");
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ConventionsTestApplication.TeamEffects teamEffects;

    @Autowired
    MeterRegistry meters;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void malformedRecordsAreDeadLetteredWithTheirReasonAndTheConsumerCarriesOn() {
        String before = "before-" + run;
        String after = "after-" + run;
        var records = List.of(
                teamCreated(before, "ok-1"),
                raw("bad-json-" + run, "bad-json", TeamCreated.TYPE, "{\"teamId\": nope"),
                raw(
                        "wrong-type-" + run,
                        "wrong-type",
                        TeamCreated.TYPE,
                        "{\"teamId\":\"wrong-type-" + run
                                + "\",\"revision\":\"first\",\"name\":\"n\",\"plan\":\"team\",\"region\":\"fra\",\"occurredAt\":\"2026-11-24T09:00:00Z\"}"),
                raw(
                        "unknown-type-" + run,
                        "unknown-type",
                        "com.employable.team.renamed.v1",
                        "{\"teamId\":\"unknown-type-" + run + "\"}"),
                raw(null, "no-team-id", TeamCreated.TYPE, EventJson.MAPPER.writeValueAsString(created("x", 1))),
                teamCreated(ConventionsTestApplication.ALWAYS_FAILS + "-" + run, "fails"),
                teamCreated(after, "ok-2"));
        double deadLettersBefore = deadLetters();

        TopicProbe.send(TestKafka.bootstrapServers(), records);

        await().atMost(Duration.ofSeconds(30)).until(() -> effects(before) == 1 && effects(after) == 1);
        try (var dlt = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.TEAM_LIFECYCLE.deadLetterTopic())) {
            Map<String, ConsumerRecord<String, byte[]>> deadByEventId = dlt
                    .await(record -> header(record, CloudEventHeaders.ID).endsWith(run), 5, Duration.ofSeconds(30))
                    .stream()
                    .collect(Collectors.toMap(
                            record -> header(record, CloudEventHeaders.ID).replace("-" + run, ""), record -> record));

            assertThat(deadByEventId.keySet())
                    .containsExactlyInAnyOrder("bad-json", "wrong-type", "unknown-type", "no-team-id", "fails");
            assertThat(reason(deadByEventId.get("bad-json"))).contains("not valid JSON");
            assertThat(reason(deadByEventId.get("wrong-type"))).contains("TeamCreated at 'revision'");
            assertThat(reason(deadByEventId.get("unknown-type")))
                    .contains("unknown ce_type 'com.employable.team.renamed.v1'");
            assertThat(reason(deadByEventId.get("no-team-id"))).contains("record key (the team id) is missing");
            assertThat(reason(deadByEventId.get("fails"))).contains("the downstream system refuses team");
            assertThat(header(deadByEventId.get("fails"), "kafka_dlt-exception-message"))
                    .as("the cause, not the listener method that threw it")
                    .isEqualTo(reason(deadByEventId.get("fails")));
            ConsumerRecord<String, byte[]> badJson = deadByEventId.get("bad-json");
            assertThat(new String(badJson.value(), StandardCharsets.UTF_8)).isEqualTo("{\"teamId\": nope");
            assertThat(header(badJson, "kafka_dlt-original-topic")).isEqualTo(TOPIC);
            assertThat(badJson.headers().lastHeader("kafka_dlt-original-offset"))
                    .isNotNull();
            assertThat(header(badJson, "kafka_dlt-exception-fqcn")).isNotBlank();
            assertThat(badJson.headers().lastHeader("kafka_dlt-exception-stacktrace"))
                    .isNull();
        }
        assertThat(effects(ConventionsTestApplication.ALWAYS_FAILS + "-" + run)).isZero();
        assertThat(teamEffects.deliveries(ConventionsTestApplication.ALWAYS_FAILS + "-" + run))
                .as("a contract violation is not retried")
                .isEqualTo(1);
        // counted once the dead letter is acknowledged, a moment after a reader may see it
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(deadLetters() - deadLettersBefore)
                        .as("every dead letter counted, for the DLT-growth alert")
                        .isEqualTo(5));
    }

    @Test
    void aControlCharacterInAFieldIsDeadLetteredNamingTheField() {
        String team = "nul-region-" + run;
        String json = EventJson.MAPPER.writeValueAsString(created(team, 1)).replace("\"fra\"", "\"fr\\u0000a\"");

        try (var dlt = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.TEAM_LIFECYCLE.deadLetterTopic())) {
            TopicProbe.send(TestKafka.bootstrapServers(), List.of(raw(team, "nul-region", TeamCreated.TYPE, json)));

            var dead = dlt.await(record -> team.equals(record.key()), 1, Duration.ofSeconds(30));
            assertThat(reason(dead.get(0))).contains("region must not contain control characters, found U+0000");
        }
        assertThat(effects(team)).isZero();
        assertThat(teamEffects.deliveries(team)).isZero();
    }

    @Test
    void aListenerFailingThroughADatabaseOutageAppliesTheEventOnceTheDatabaseIsBackAndDeadLettersNothing() {
        String team = ConventionsTestApplication.DURING_OUTAGE + "-" + run;
        // longer than the 1.5 s of retries after which a record used to be dead-lettered for good
        Instant databaseBack = Instant.now().plusSeconds(6);
        teamEffects.databaseDownUntil(databaseBack);
        double retriesBefore = retries();

        try (var dlt = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.TEAM_LIFECYCLE.deadLetterTopic())) {
            TopicProbe.send(TestKafka.bootstrapServers(), List.of(teamCreated(team, "outage")));

            await().atMost(Duration.ofSeconds(60)).until(() -> effects(team) == 1);
            assertThat(Instant.now()).isAfterOrEqualTo(databaseBack);
            assertThat(teamEffects.deliveries(team))
                    .as("redelivered while the database was down")
                    .isGreaterThan(4);
            assertThat(retries() - retriesBefore).isGreaterThanOrEqualTo(teamEffects.deliveries(team) - 1);
            assertThat(dlt.drain(record -> team.equals(record.key()), Duration.ofSeconds(2)))
                    .isEmpty();
        }
        assertThat(effects(team)).isEqualTo(1);
    }

    private double deadLetters() {
        var counter = meters.find(RetryMetricsConfiguration.DEAD_LETTERS)
                .tag("topic", TOPIC)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private double retries() {
        var counter = meters.find(RetryMetricsConfiguration.RETRIES)
                .tag("topic", TOPIC)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aRedeliveredEventHasNoSecondEffect() {
        String team = "redelivered-" + run;
        ProducerRecord<String, byte[]> original = teamCreated(team, "once");
        String marker = "marker-" + run;

        TopicProbe.send(TestKafka.bootstrapServers(), List.of(original, copyOf(original), copyOf(original)));
        TopicProbe.send(TestKafka.bootstrapServers(), List.of(teamCreated(marker, "marker")));

        await().atMost(Duration.ofSeconds(30)).until(() -> effects(marker) == 1);
        assertThat(effects(team)).isEqualTo(1);
    }

    @Test
    void structuredModeCloudEventsAreReadToo() {
        String team = "structured-" + run;
        String event =
                """
                {"specversion":"1.0","id":"structured-%s","source":"employable/test","type":"%s","subject":"%s",
                 "time":"2026-11-24T09:00:00Z","datacontenttype":"application/json","data":%s}""".formatted(run, TeamCreated.TYPE, team, EventJson.MAPPER.writeValueAsString(created(team, 1)));
        var record = new ProducerRecord<String, byte[]>(TOPIC, team, event.getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.CONTENT_TYPE, "application/cloudevents+json; charset=UTF-8".getBytes());

        TopicProbe.send(TestKafka.bootstrapServers(), List.of(record));

        await().atMost(Duration.ofSeconds(30)).until(() -> effects(team) == 1);
    }

    private int effects(String team) {
        return jdbc.sql("select count(*) from team_effect where team_id = ?")
                .param(team)
                .query(Integer.class)
                .single();
    }

    private ProducerRecord<String, byte[]> teamCreated(String team, String id) {
        return CloudEventCodec.toRecord(
                TOPIC,
                team,
                id + "-" + run,
                TeamCreated.TYPE,
                "employable/test",
                Instant.now(),
                CloudEventCodec.writeData(created(team, 1)));
    }

    private ProducerRecord<String, byte[]> raw(String key, String id, String type, String json) {
        var record = CloudEventCodec.toRecord(
                TOPIC,
                key == null ? "placeholder" : key,
                id + "-" + run,
                type,
                "employable/test",
                Instant.now(),
                json.getBytes(StandardCharsets.UTF_8));
        var rekeyed = new ProducerRecord<>(TOPIC, null, key, record.value(), record.headers());
        if (key == null) {
            rekeyed.headers().remove(CloudEventHeaders.SUBJECT);
        }
        return rekeyed;
    }

    private static ProducerRecord<String, byte[]> copyOf(ProducerRecord<String, byte[]> record) {
        var copy = new ProducerRecord<>(record.topic(), null, record.key(), record.value());
        record.headers().forEach(header -> copy.headers().add(new RecordHeader(header.key(), header.value())));
        return copy;
    }

    private static TeamCreated created(String team, long revision) {
        return new TeamCreated(team, revision, "Team " + team, "team", "fra", Instant.parse("2026-11-24T09:00:00Z"));
    }

    private static String reason(ConsumerRecord<String, byte[]> record) {
        return header(record, DeadLetters.REASON_HEADER);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
