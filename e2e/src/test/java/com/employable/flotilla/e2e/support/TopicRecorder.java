package com.employable.flotilla.e2e.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Records every record of some topics from the beginning, with the instant it arrived here, on a thread of its own,
 * for the length of a harness run (a {@code TopicProbe} polls only when asked).
 */
public final class TopicRecorder implements AutoCloseable {

    /** A record and when this reader received it. */
    public record Received(ConsumerRecord<String, byte[]> record, Instant at) {}

    private final List<Received> received = new CopyOnWriteArrayList<>();

    private final KafkaConsumer<String, byte[]> consumer;

    private final Thread poller;

    private volatile boolean running = true;

    public TopicRecorder(String bootstrapServers, String... topics) {
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "e2e-recorder-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics));
        poller = Thread.ofPlatform().name("topic-recorder").daemon().start(this::poll);
    }

    private void poll() {
        try {
            while (running) {
                Instant now = Instant.now();
                consumer.poll(Duration.ofMillis(200)).forEach(record -> received.add(new Received(record, now)));
            }
        } catch (WakeupException closing) {
            // close() asked the poll to return
        } finally {
            consumer.close();
        }
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
