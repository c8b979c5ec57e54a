package com.employable.flotilla.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.events.InvalidEventException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.messaging.converter.MessageConversionException;

/** A held partition is counted on every failed delivery but logged at most once a minute. */
class StuckRecordsTest {

    private static final TopicPartition PARTITION = new TopicPartition("employable.team.lifecycle.v1", 3);

    private Instant now = Instant.parse("2026-11-30T09:00:00Z");

    private final List<String> counted = new ArrayList<>();

    private final StuckRecords stuck = new StuckRecords(
            new Clock() {
                @Override
                public Instant instant() {
                    return now;
                }

                @Override
                public ZoneOffset getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }
            },
            counted::add);

    @Test
    void warnsOnTheFirstFailureThenAtMostOnceAMinutePerPartition() {
        assertThat(stuck.shouldWarn(PARTITION)).isTrue();
        now = now.plusSeconds(30);
        assertThat(stuck.shouldWarn(PARTITION)).isFalse();
        now = now.plusSeconds(29);
        assertThat(stuck.shouldWarn(PARTITION)).isFalse();
        now = now.plusSeconds(1);
        assertThat(stuck.shouldWarn(PARTITION)).isTrue();
        assertThat(stuck.shouldWarn(PARTITION)).isFalse();
    }

    @Test
    void eachPartitionHasItsOwnMinute() {
        assertThat(stuck.shouldWarn(PARTITION)).isTrue();
        assertThat(stuck.shouldWarn(new TopicPartition(PARTITION.topic(), 4))).isTrue();
        assertThat(stuck.shouldWarn(new TopicPartition("flotilla.server.lifecycle.v1", 3)))
                .isTrue();
        assertThat(stuck.shouldWarn(PARTITION)).isFalse();
    }

    @Test
    void countsEveryFailedDeliveryByTopicEvenWhenItDoesNotLog() {
        var record = new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), 42L, "team-1", new byte[0]);
        for (int attempt = 1; attempt <= 5; attempt++) {
            stuck.failedDelivery(record, new IllegalStateException("database down"), attempt);
            now = now.plus(Duration.ofSeconds(1));
        }

        assertThat(counted)
                .containsExactly(
                        PARTITION.topic(), PARTITION.topic(), PARTITION.topic(), PARTITION.topic(), PARTITION.topic());
        assertThat(stuck.shouldWarn(PARTITION))
                .as("the first failure logged a minute ago at most")
                .isFalse();
    }

    @Test
    void aContractViolationHoldsNothingSoItIsNeitherCountedNorLogged() {
        var record = new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), 42L, "team-1", new byte[0]);
        var wrapped = new ListenerExecutionFailedException(
                "Listener method 'void on(EventEnvelope)' threw exception",
                new InvalidEventException("region must not contain control characters"));

        stuck.failedDelivery(record, wrapped, 1);
        stuck.failedDelivery(record, new MessageConversionException("not valid JSON"), 1);

        assertThat(counted).isEmpty();
        assertThat(stuck.shouldWarn(PARTITION)).as("no warning was spent on it").isTrue();
    }
}
