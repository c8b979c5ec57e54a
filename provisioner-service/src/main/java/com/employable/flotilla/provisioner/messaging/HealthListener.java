package com.employable.flotilla.provisioner.messaging;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.health.HealthEvent;
import com.employable.flotilla.provisioner.health.RepairService;

@Component
class HealthListener {

    private final RepairService repairs;

    HealthListener(RepairService repairs) {
        this.repairs = repairs;
    }

    @KafkaListener(id = "provisioner-health", topics = Topics.HEALTH_NAME)
    void on(EventEnvelope<HealthEvent> event) {
        repairs.record(event);
    }
}
