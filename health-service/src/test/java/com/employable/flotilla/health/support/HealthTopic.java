package com.employable.flotilla.health.support;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads {@code flotilla.health.v1} from outside, as the registry and the provisioner do. */
public final class HealthTopic implements AutoCloseable {

    private final TopicProbe probe = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.HEALTH_NAME);

    /** Waits until {@code count} transitions of {@code teamId} were published; returns them in order. */
    public List<EventEnvelope<?>> await(String teamId, int count) {
        return probe.await(record -> teamId.equals(record.key()), count, Duration.ofSeconds(40)).stream()
                .map(HealthTopic::decode)
                .toList();
    }

    /** Every transition of {@code teamId}, after polling {@code quiet} more for any that should not come. */
    public List<EventEnvelope<?>> drain(String teamId, Duration quiet) {
        return probe.drain(record -> teamId.equals(record.key()), quiet).stream()
                .map(HealthTopic::decode)
                .toList();
    }

    public static HealthChanged change(EventEnvelope<?> envelope) {
        return (HealthChanged) envelope.data();
    }

    private static EventEnvelope<?> decode(ConsumerRecord<String, byte[]> record) {
        return CloudEventCodec.decode(record);
    }

    @Override
    public void close() {
        probe.close();
    }
}
