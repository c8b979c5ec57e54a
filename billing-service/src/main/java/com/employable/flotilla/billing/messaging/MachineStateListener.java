package com.employable.flotilla.billing.messaging;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.employable.flotilla.billing.metering.MeteringService;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;

@Component
class MachineStateListener {

    private final MeteringService metering;

    MachineStateListener(MeteringService metering) {
        this.metering = metering;
    }

    @KafkaListener(id = "billing-server-lifecycle", topics = Topics.SERVER_LIFECYCLE_NAME)
    void on(EventEnvelope<ServerLifecycleEvent> event) {
        metering.record(event);
    }
}
