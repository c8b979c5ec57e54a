package com.employable.flotilla.health.targets;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.registry.RegistryEvent;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Reads the compacted registry topic. The topic, not a committed offset, is the truth: every partition this instance
 * is assigned is read again from the beginning, so the targets are rebuilt on each start and each rebalance. The
 * consumer group shares the partitions (and so the teams) among the service's instances.
 */
@Component
class RegistryListener implements ConsumerSeekAware {

    private final Targets targets;

    RegistryListener(Targets targets) {
        this.targets = targets;
    }

    // the group is the service's (spring.kafka.consumer.group-id), so its instances split the partitions
    @KafkaListener(id = "health-registry", topics = Topics.REGISTRY_NAME, idIsGroup = false)
    void on(EventEnvelope<RegistryEvent> event, @Header(KafkaHeaders.RECEIVED_PARTITION) int partition) {
        targets.apply(partition, event);
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        callback.seekToBeginning(assignments.keySet());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        targets.release(partitions.stream().map(TopicPartition::partition).toList());
    }
}
