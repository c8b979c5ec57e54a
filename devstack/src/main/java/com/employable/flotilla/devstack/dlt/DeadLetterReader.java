package com.employable.flotilla.devstack.dlt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads dead-letter topics without joining a consumer group: partitions are assigned, nothing is committed, so reading
 * changes nothing for anyone. Reads from {@code --since} (by timestamp index) up to the end offsets seen when the read
 * began.
 */
final class DeadLetterReader implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaConsumer<byte[], byte[]> consumer;

    DeadLetterReader(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "flotilla-dlt-cli");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Every dead-letter topic on the broker, sorted. */
    List<String> deadLetterTopics() {
        return new TreeSet<>(consumer.listTopics().keySet())
                .stream().filter(name -> name.endsWith(DeadLetter.SUFFIX)).toList();
    }

    /** The selected dead letters, oldest first, at most {@code selection.limit()}. */
    List<DeadLetter> read(Selection selection) {
        List<String> topics = selection.topic().map(List::of).orElseGet(this::deadLetterTopics);
        List<String> known = deadLetterTopics();
        for (String topic : topics) {
            if (!known.contains(topic)) {
                throw new IllegalArgumentException("no dead-letter topic " + topic + " on the broker (there are: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
            }
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                if (selection
                        .record()
                        .map(r -> r.partition() == info.partition())
                        .orElse(true)) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
        }
        if (selection.record().isPresent() && partitions.isEmpty()) {
            throw new IllegalArgumentException(
                    "no partition " + selection.record().get().partition() + " in "
                            + selection.record().get().topic());
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
        selection.record().ifPresent(r -> end.replaceAll((p, last) -> Math.min(last, r.offset() + 1)));
        seekToStart(partitions, selection);
        List<DeadLetter> found = new ArrayList<>();
        Instant deadline = Instant.now().plus(READ_TIMEOUT);
        while (!caughtUp(end) && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() >= end.getOrDefault(partition, Long.MAX_VALUE)) {
                    continue;
                }
                DeadLetter letter = deadLetter(record);
                if (selection.matches(letter)) {
                    found.add(letter);
                }
            }
        }
        if (!caughtUp(end)) {
            throw new IllegalStateException("could not read the dead-letter topics to their end within " + READ_TIMEOUT
                    + " (is the broker reachable?)");
        }
        found.sort(Comparator.comparing(DeadLetter::time)
                .thenComparing(DeadLetter::topic)
                .thenComparingInt(DeadLetter::partition)
                .thenComparingLong(DeadLetter::offset));
        return found.size() > selection.limit() ? found.subList(0, selection.limit()) : found;
    }

    private void seekToStart(List<TopicPartition> partitions, Selection selection) {
        if (selection.record().isPresent()) {
            long offset = selection.record().get().offset();
            partitions.forEach(p -> consumer.seek(p, offset));
            return;
        }
        if (selection.since().isEmpty()) {
            consumer.seekToBeginning(partitions);
            return;
        }
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(p -> at.put(p, selection.since().get().toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(at);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp first = offsets.get(p);
            consumer.seek(p, first == null ? end.get(p) : first.offset());
        }
    }

    /** Whether every partition was read up to the end seen at the start (a single record: past it). */
    private boolean caughtUp(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record) {
        List<DeadLetter.Header> headers = StreamSupport.stream(record.headers().spliterator(), false)
                .map(h -> new DeadLetter.Header(h.key(), h.value()))
                .toList();
        return new DeadLetter(
                record.topic(),
                record.partition(),
                record.offset(),
                Instant.ofEpochMilli(record.timestamp()),
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                headers,
                record.value());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
