package com.employable.flotilla.common.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Kafka conventions a service opts into under {@code flotilla.kafka}.
 *
 * @param source this service's {@code ce_source}, e.g. {@code flotilla/provisioner}
 * @param topics the topics this service creates at start-up if missing (those it owns and those it consumes), each
 * with its dead-letter topic
 * @param partitions per-topic partition count overriding the declaration's default
 * @param retention per-topic retention overriding the declaration's default
 * @param replicas replication factor for created topics; absent leaves it to the broker's default
 * @param retry how a record that fails for any reason but a contract violation is retried
 */
@ConfigurationProperties("flotilla.kafka")
public record FlotillaKafkaProperties(
        String source,
        @DefaultValue List<String> topics,
        @DefaultValue Map<String, Integer> partitions,
        @DefaultValue Map<String, Duration> retention,
        Short replicas,
        @DefaultValue Retry retry) {

    /**
     * A record that breaks the contract is dead-lettered at once; any other failure (the database, the broker, Fly) is
     * taken to be transient and the record is redelivered until it succeeds, however long that takes, holding its
     * partition so nothing behind it overtakes it and nothing is skipped. Dead-lettering after a bounded number of
     * attempts lost valid events for good whenever an outage outlasted the budget.
     *
     * @param initialInterval the wait before the first redelivery; each following wait doubles
     * @param maxInterval the longest wait between two redeliveries. The consumer thread sleeps through it, so it must
     * stay well below {@code max.poll.interval.ms} (5 minutes by default) or the group evicts the consumer
     */
    public record Retry(
            @DefaultValue("200ms") Duration initialInterval,
            @DefaultValue("30s") Duration maxInterval) {

        public Retry {
            if (initialInterval.isNegative()
                    || initialInterval.isZero()
                    || maxInterval.compareTo(initialInterval) < 0) {
                throw new IllegalArgumentException(
                        "flotilla.kafka.retry needs 0 < initial-interval <= max-interval, got " + initialInterval
                                + " and " + maxInterval);
            }
        }
    }
}
