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
 * @param producer the {@code ce_source} of the one producer of this topic: a record whose source is neither this
 * nor below it ({@code producer + "/..."}) is refused. Kafka ACLs are the control (see deploy/kafka); this check
 * makes a record produced past them, or by a misconfigured service, visible in the dead-letter topic
 */
public record Topic<E>(
        String name,
        Class<E> valueType,
        Map<String, Class<? extends E>> types,
        int partitions,
        Duration retention,
        boolean compacted,
        String producer) {

    public Topic {
        Require.text(name, "name");
        Require.text(producer, "producer");
        Require.present(valueType, "valueType");
        types = Map.copyOf(types);
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1");
        }
        if (!compacted) {
            Require.present(retention, "retention");
        }
    }

    /** Whether {@code source} is this topic's producer (or a source below it, such as {@code employable/web}). */
    public boolean producedBy(String source) {
        return source != null && (source.equals(producer) || source.startsWith(producer + "/"));
    }

    /** Where records that could not be processed go, with reason headers. */
    public String deadLetterTopic() {
        return name + "-dlt";
    }

    public Optional<Class<? extends E>> classOf(String ceType) {
        return Optional.ofNullable(types.get(ceType));
    }

    public String typeOf(E event) {
        return types.entrySet().stream()
                .filter(entry -> entry.getValue() == event.getClass())
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() ->
                        new IllegalArgumentException(event.getClass().getName() + " is not an event of topic " + name));
    }

    static <E> Builder<E> builder(String name, Class<E> valueType, String producer) {
        return new Builder<>(name, valueType, producer);
    }

    static final class Builder<E> {

        private final String name;

        private final Class<E> valueType;

        private final Map<String, Class<? extends E>> types = new LinkedHashMap<>();

        private int partitions = 6;

        private Duration retention;

        private boolean compacted;

        private final String producer;

        private Builder(String name, Class<E> valueType, String producer) {
            this.name = name;
            this.valueType = valueType;
            this.producer = producer;
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
            return new Topic<>(name, valueType, types, partitions, retention, compacted, producer);
        }
    }
}
