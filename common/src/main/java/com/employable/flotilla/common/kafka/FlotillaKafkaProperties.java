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
 * @param retry how often a failing record is retried before it is dead-lettered
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
     * @param attempts retries after the first delivery
     * @param initialInterval first back-off
     * @param maxInterval longest back-off
     */
    public record Retry(
            @DefaultValue("3") int attempts,
            @DefaultValue("200ms") Duration initialInterval,
            @DefaultValue("2s") Duration maxInterval) {}
}
