package com.employable.flotilla.registry.messaging;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.health.HealthEvent;
import com.employable.flotilla.registry.discovery.DiscoveryService;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

@Component
class HealthListener {

    private final DiscoveryService discovery;

    HealthListener(DiscoveryService discovery) {
        this.discovery = discovery;
    }

    @KafkaListener(id = "registry-health", groupId = "${spring.kafka.consumer.group-id}", topics = Topics.HEALTH_NAME)
    void on(EventEnvelope<HealthEvent> event) {
        discovery.applyHealth(event);
    }
}
