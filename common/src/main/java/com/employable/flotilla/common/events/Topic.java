package com.employable.flotilla.common.events;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One Kafka topic: its name, key and value types, the CloudEvents types it carries, and its defaults for creation.
 * Producers, consumers and topic creation all read this one declaration; nobody spells a topic name twice.
 *
 * @param name the topic name
 * @param valueType the sealed interface every value on the topic implements
 * @param types {@code ce_type} to record class, for every event the topic may carry
 * @param partitions default partition count when a service creates the topic
 * @param retention default retention; {@code null} keeps records forever (compacted topics)
 * @param compacted whether the topic is log-compacted (latest value per key, null value = tombstone)
 */
public record Topic<E>(String name, Class<E> valueType, Map<String, Class<? extends E>> types, int partitions,
        Duration retention, boolean compacted) {

    public Topic {
        Require.text(name, "name");
        Require.present(valueType, "valueType");
        types = Map.copyOf(types);
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1");
        }
        if (!compacted) {
            Require.present(retention, "retention");
        }
    }

    /** Every topic is keyed by team id, so per-team order holds on one partition. */
    public Class<String> keyType() {
        return String.class;
    }

    /** Where records that could not be processed go, with reason headers. */
    public String deadLetterTopic() {
        return name + "-dlt";
    }

    public Optional<Class<? extends E>> classOf(String ceType) {
        return Optional.ofNullable(types.get(ceType));
    }

    public String typeOf(E event) {
        return types.entrySet()
            .stream()
            .filter(entry -> entry.getValue() == event.getClass())
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException(
                    event.getClass().getName() + " is not an event of topic " + name));
    }

    static <E> Builder<E> builder(String name, Class<E> valueType) {
        return new Builder<>(name, valueType);
    }

    static final class Builder<E> {

        private final String name;

        private final Class<E> valueType;

        private final Map<String, Class<? extends E>> types = new LinkedHashMap<>();

        private int partitions = 6;

        private Duration retention;

        private boolean compacted;

        private Builder(String name, Class<E> valueType) {
            this.name = name;
            this.valueType = valueType;
        }

        Builder<E> type(String ceType, Class<? extends E> recordType) {
            types.put(ceType, recordType);
            return this;
        }

        Builder<E> partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        Builder<E> retention(Duration retention) {
            this.retention = retention;
            return this;
        }

        Builder<E> compacted() {
            this.compacted = true;
            return this;
        }

        Topic<E> build() {
            return new Topic<>(name, valueType, types, partitions, retention, compacted);
        }
    }
}
