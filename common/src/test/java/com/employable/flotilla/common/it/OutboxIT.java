package com.employable.flotilla.common.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.CloudEventHeaders;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.idempotency.AppliedEvents;
import com.employable.flotilla.common.outbox.Outbox;
import com.employable.flotilla.common.outbox.OutboxProperties;
import com.employable.flotilla.common.outbox.OutboxRelay;
import com.employable.flotilla.common.testsupport.FlotillaTestProperties;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transactional outbox against a real PostgreSQL and broker: committed rows are published exactly once, in
 * per-team order, across a relay stopped and restarted mid-way; rolled-back rows never are; a row Kafka refuses for
 * good (larger than the topic's max.message.bytes or the producer's max.request.size, an invalid topic) is moved to
 * the dead-letter table with its reason while the rows around it are published in order; a broker that cannot be
 * reached is waited out, in order, dead-lettering nothing.
 */
@SpringBootTest(
        classes = ConventionsTestApplication.class,
        properties = {
            "flotilla.kafka.source=flotilla/health",
            "flotilla.kafka.topics=employable.team.lifecycle.v1",
            "flotilla.kafka.retry.initial-interval=20ms",
            "spring.kafka.consumer.auto-offset-reset=earliest",
            "spring.flyway.locations=classpath:db/conventions-it"
        })
class OutboxIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        FlotillaTestProperties.register(registry, "outbox_it");
    }

    @Autowired
    Outbox outbox;

    @Autowired
    OutboxRelay contextRelay;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    KafkaOperations<?, ?> kafka;

    @Autowired
    AppliedEvents appliedEvents;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void restartContextRelay() {
        contextRelay.start();
    }

    @Test
    @SuppressWarnings("unchecked")
    void committedRowsArePublishedExactlyOnceInPerTeamOrderAcrossARelayRestart() {
        contextRelay.stop();
        var transactions = new TransactionTemplate(transactionManager);
        List<String> teams = List.of("alpha-" + run, "bravo-" + run, "charlie-" + run, "delta-" + run);
        Map<String, String> sequenceByEventId = new LinkedHashMap<>();
        for (int sequence = 1; sequence <= 60; sequence++) {
            for (String team : teams) {
                int seq = sequence;
                String id = transactions.execute(status -> outbox.publish(Topics.HEALTH, healthEvent(team, seq)));
                sequenceByEventId.put(id, team + "#" + seq);
            }
        }
        var smallBatches = new OutboxProperties(
                true, 10, Duration.ofMillis(50), Duration.ofSeconds(10), Duration.ofDays(1), Duration.ofDays(35));

        var first = new OutboxRelay(
                jdbc, transactions, (KafkaOperations<String, byte[]>) kafka, appliedEvents, smallBatches);
        first.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> first.publishedCount() >= 30);
        first.stop();
        long pendingAfterStop = first.pendingCount();
        var second = new OutboxRelay(
                jdbc, transactions, (KafkaOperations<String, byte[]>) kafka, appliedEvents, smallBatches);
        second.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> second.pendingCount() == 0);
        second.stop();

        assertThat(pendingAfterStop).as("the relay was stopped mid-way").isBetween(1L, 239L);
        assertThat(first.publishedCount() + second.publishedCount()).isEqualTo(240);
        try (var topic = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.HEALTH.name())) {
            List<ConsumerRecord<String, byte[]>> published =
                    topic.drain(record -> record.key().endsWith(run), Duration.ofSeconds(2));
            List<String> ids = published.stream()
                    .map(record -> header(record, CloudEventHeaders.ID))
                    .toList();
            assertThat(ids).hasSize(240).doesNotHaveDuplicates();
            assertThat(new HashSet<>(ids)).isEqualTo(sequenceByEventId.keySet());
            for (String team : teams) {
                List<Integer> order = new ArrayList<>();
                for (var record : published) {
                    if (record.key().equals(team)) {
                        HealthChanged event =
                                (HealthChanged) CloudEventCodec.decode(record).data();
                        order.add(event.consecutiveFailures());
                    }
                }
                assertThat(order).as(team).isSorted().hasSize(60);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRowKafkaRefusesForGoodIsDeadLetteredWithItsReasonAndTheRelayCarriesOnInOrder() throws Exception {
        contextRelay.stop();
        var transactions = new TransactionTemplate(transactionManager);
        // a topic that takes records of at most 1 KiB: the broker refuses a bigger one, whoever sends it
        String small = "outbox-it-small-" + run;
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(small, 1, (short) 1)
                            .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1024"))))
                    .all()
                    .get();
        }
        String alpha = "alpha-refused-" + run;
        String bravo = "bravo-refused-" + run;
        List<String> expectedAlpha = new ArrayList<>();
        List<String> expectedBravo = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (int sequence = 1; sequence <= 4; sequence++) {
            int seq = sequence;
            expectedAlpha.add(transactions.execute(status -> outbox.publish(Topics.HEALTH, healthEvent(alpha, seq))));
            expectedBravo.add(transactions.execute(status -> outbox.publish(Topics.HEALTH, healthEvent(bravo, seq))));
            switch (sequence) {
                // larger than the topic's max.message.bytes: the broker refuses it
                case 1 -> refused.put(rawRow(small, alpha, 4_000), "RecordTooLargeException");
                // larger than the producer's max.request.size: refused before it leaves
                case 2 -> refused.put(rawRow(Topics.HEALTH.name(), alpha, 1_100_000), "RecordTooLargeException");
                case 3 -> refused.put(rawRow("not a valid topic!", bravo, 10), "InvalidTopicException");
                default -> {}
            }
        }
        var relay = new OutboxRelay(
                jdbc,
                transactions,
                (KafkaOperations<String, byte[]>) kafka,
                appliedEvents,
                new OutboxProperties(
                        true,
                        3,
                        Duration.ofMillis(50),
                        Duration.ofSeconds(10),
                        Duration.ofDays(1),
                        Duration.ofDays(35)));
        relay.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> pending(alpha) + pending(bravo) == 0);
        } finally {
            relay.stop();
        }

        assertThat(relay.deadLetteredCount()).isEqualTo(3);
        Map<String, String> reasons = new LinkedHashMap<>();
        jdbc.sql("select event_id, reason from flotilla_outbox_dead_letter where message_key in (?, ?) order by id")
                .params(alpha, bravo)
                .query((rs, row) -> reasons.put(rs.getString(1), rs.getString(2)))
                .list();
        assertThat(reasons.keySet()).containsExactlyElementsOf(refused.keySet());
        refused.forEach((eventId, reason) -> assertThat(reasons.get(eventId)).startsWith(reason));
        try (var topic = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.HEALTH.name(), small)) {
            var published = topic.drain(record -> record.key().endsWith(run), Duration.ofSeconds(2));
            assertThat(published)
                    .filteredOn(record -> record.key().equals(alpha))
                    .extracting(record -> header(record, CloudEventHeaders.ID))
                    .containsExactlyElementsOf(expectedAlpha);
            assertThat(published)
                    .filteredOn(record -> record.key().equals(bravo))
                    .extracting(record -> header(record, CloudEventHeaders.ID))
                    .containsExactlyElementsOf(expectedBravo);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBrokerThatCannotBeReachedIsWaitedOutInOrderAndNothingIsDeadLettered() throws Exception {
        contextRelay.stop();
        var transactions = new TransactionTemplate(transactionManager);
        String team = "charlie-unreachable-" + run;
        List<String> expected = new ArrayList<>();
        for (int sequence = 1; sequence <= 3; sequence++) {
            int seq = sequence;
            expected.add(transactions.execute(status -> outbox.publish(Topics.HEALTH, healthEvent(team, seq))));
        }
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var unreachable = new DefaultKafkaProducerFactory<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + closedPort,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                300,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
        var properties = new OutboxProperties(
                true, 10, Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofDays(1), Duration.ofDays(35));
        var cutOff = new OutboxRelay(jdbc, transactions, new KafkaTemplate<>(unreachable), appliedEvents, properties);
        cutOff.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> cutOff.transientFailureCount() >= 3);
        } finally {
            cutOff.stop();
            unreachable.destroy();
        }
        assertThat(pending(team)).isEqualTo(3);
        assertThat(cutOff.deadLetteredCount()).isZero();

        var relay =
                new OutboxRelay(jdbc, transactions, (KafkaOperations<String, byte[]>) kafka, appliedEvents, properties);
        relay.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> pending(team) == 0);
        } finally {
            relay.stop();
        }
        assertThat(jdbc.sql("select count(*) from flotilla_outbox_dead_letter where message_key = ?")
                        .param(team)
                        .query(Integer.class)
                        .single())
                .isZero();
        try (var topic = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.HEALTH.name())) {
            assertThat(topic.await(record -> team.equals(record.key()), 3, Duration.ofSeconds(30)))
                    .extracting(record -> header(record, CloudEventHeaders.ID))
                    .containsExactlyElementsOf(expected);
        }
    }

    /** A row as a producer could have written it: any topic, a payload of the given size. */
    private String rawRow(String topic, String key, int payloadBytes) {
        String eventId = UUID.randomUUID().toString();
        byte[] payload = new byte[payloadBytes];
        java.util.Arrays.fill(payload, (byte) 'x');
        new TransactionTemplate(transactionManager)
                .executeWithoutResult(status -> jdbc.sql("""
                        insert into flotilla_outbox (event_id, topic, message_key, ce_type, ce_source, ce_time, payload)
                        values (?, ?, ?, ?, 'flotilla/health', now(), ?)""")
                        .params(eventId, topic, key, HealthChanged.TYPE, payload)
                        .update());
        return eventId;
    }

    private int pending(String key) {
        return jdbc.sql("select count(*) from flotilla_outbox where message_key = ? and published_at is null")
                .param(key)
                .query(Integer.class)
                .single();
    }

    @Test
    void rowsOfARolledBackTransactionAreNeverPublished() {
        var transactions = new TransactionTemplate(transactionManager);
        String team = "rolled-back-" + run;
        String[] rolledBack = new String[1];

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
                    rolledBack[0] = outbox.publish(Topics.HEALTH, healthEvent(team, 1));
                    throw new IllegalStateException("the change failed after the event was written");
                }))
                .hasMessageContaining("the change failed");
        String committed = transactions.execute(status -> outbox.publish(Topics.HEALTH, healthEvent(team, 2)));

        try (var topic = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.HEALTH.name())) {
            var published = topic.await(record -> team.equals(record.key()), 1, Duration.ofSeconds(30));
            assertThat(published)
                    .extracting(record -> header(record, CloudEventHeaders.ID))
                    .containsExactly(committed);
            assertThat(topic.drain(record -> team.equals(record.key()), Duration.ofSeconds(1)))
                    .hasSize(1);
        }
        assertThat(jdbc.sql("select count(*) from flotilla_outbox where event_id = ?")
                        .param(rolledBack[0])
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void publishingOutsideATransactionIsRefused() {
        assertThatThrownBy(() -> outbox.publish(Topics.HEALTH, healthEvent("outside-" + run, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside the transaction");
    }

    private static HealthChanged healthEvent(String team, int sequence) {
        return new HealthChanged(
                team, "m-" + team, HealthStatus.UNHEALTHY, HealthStatus.HEALTHY, Instant.now(), 5L, null, sequence);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
