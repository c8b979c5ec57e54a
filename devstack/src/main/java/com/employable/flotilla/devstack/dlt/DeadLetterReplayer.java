package com.employable.flotilla.devstack.dlt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Puts dead letters back on the topic they came from, as they were first published: same key (so the same partition
 * and order per team), same value, the original headers in their order, {@code ce_id} included, so a consumer that
 * had applied the event skips it as a repeat and only the ones that failed apply it. Dead-lettering's own headers are
 * left out; {@value #REPLAYED_FROM} says where the copy came from.
 */
final class DeadLetterReplayer implements AutoCloseable {

    static final String REPLAYED_FROM = "flotilla_replayed_from";

    private final KafkaProducer<byte[], byte[]> producer;

    /** What a replay published. */
    record Replayed(DeadLetter letter, String topic, int partition, long offset) {}

    DeadLetterReplayer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "flotilla-dlt-replay");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * One dead letter per original record: a record that failed in two consumer groups was dead-lettered twice but is
     * replayed once (both groups read the replay).
     */
    static List<DeadLetter> onePerOrigin(List<DeadLetter> letters) {
        Map<String, DeadLetter> byOrigin = new LinkedHashMap<>();
        letters.forEach(letter -> byOrigin.putIfAbsent(letter.origin(), letter));
        return new ArrayList<>(byOrigin.values());
    }

    static ProducerRecord<byte[], byte[]> recordOf(DeadLetter letter) {
        var record = new ProducerRecord<byte[], byte[]>(
                letter.originalTopic(),
                null,
                letter.key() == null ? null : letter.key().getBytes(StandardCharsets.UTF_8),
                letter.value());
        letter.originalHeaders().forEach(h -> record.headers().add(h.name(), h.value()));
        record.headers()
                .add(
                        REPLAYED_FROM,
                        (letter.topic() + "/" + letter.partition() + "/" + letter.offset())
                                .getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** Publishes one record and waits for the broker's acknowledgement, so what is reported was written. */
    Replayed replay(DeadLetter letter) throws InterruptedException {
        try {
            RecordMetadata meta = producer.send(recordOf(letter)).get();
            return new Replayed(letter, meta.topic(), meta.partition(), meta.offset());
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not publish to " + letter.originalTopic() + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
