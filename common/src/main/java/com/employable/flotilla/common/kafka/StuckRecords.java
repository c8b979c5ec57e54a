package com.employable.flotilla.common.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.RetryListener;

/**
 * Makes a partition held by a record failing for a reason other than a contract violation visible without flooding the log: every failed delivery is counted (for
 * alerting), and at most one warning a minute is logged per partition, however fast the redeliveries come.
 */
final class StuckRecords implements RetryListener {

    static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(StuckRecords.class);

    private final Clock clock;

    private final Consumer<String> countFailedDelivery;

    private final Map<TopicPartition, Instant> lastWarned = new ConcurrentHashMap<>();

    /** @param countFailedDelivery told the topic of every failed delivery that will be retried */
    StuckRecords(Clock clock, Consumer<String> countFailedDelivery) {
        this.clock = clock;
        this.countFailedDelivery = countFailedDelivery;
    }

    @Override
    public void failedDelivery(ConsumerRecord<?, ?> record, Exception failure, int deliveryAttempt) {
        if (DeadLetters.isContractViolation(failure)) {
            // Spring Kafka reports it too, just before dead-lettering it: it holds nothing
            return;
        }
        countFailedDelivery.accept(record.topic());
        if (shouldWarn(new TopicPartition(record.topic(), record.partition()))) {
            log.warn(
                    "{}-{} is held at offset {}: delivery attempt {} failed ({}); retrying until it succeeds",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    deliveryAttempt,
                    DeadLetters.reason(failure));
        }
    }

    /** Whether this failure gets a log line: the first for the partition, or the first a minute after the last. */
    boolean shouldWarn(TopicPartition partition) {
        Instant now = clock.instant();
        Instant previous = lastWarned.get(partition);
        if (previous == null) {
            return lastWarned.putIfAbsent(partition, now) == null;
        }
        return !now.isBefore(previous.plus(WARN_EVERY)) && lastWarned.replace(partition, previous, now);
    }
}
