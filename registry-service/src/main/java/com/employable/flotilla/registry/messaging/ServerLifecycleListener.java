package com.employable.flotilla.registry.messaging;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.registry.discovery.DiscoveryService;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

@Component
class ServerLifecycleListener {

    private final DiscoveryService discovery;

    ServerLifecycleListener(DiscoveryService discovery) {
        this.discovery = discovery;
    }

    @KafkaListener(
            id = "registry-server-lifecycle",
            groupId = "${spring.kafka.consumer.group-id}",
            topics = Topics.SERVER_LIFECYCLE_NAME)
    void on(EventEnvelope<ServerLifecycleEvent> event) {
        discovery.apply(event);
    }
}
