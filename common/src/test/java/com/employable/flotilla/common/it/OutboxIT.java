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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transactional outbox against a real PostgreSQL and broker: committed rows are published exactly once, in
 * per-team order, across a relay stopped and restarted mid-way; rolled-back rows never are.
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
