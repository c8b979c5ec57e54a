package com.employable.flotilla.provisioner.messaging;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthEvent;
import com.employable.flotilla.common.tracing.TraceParent;
import com.employable.flotilla.provisioner.health.HealthVerdicts;
import com.employable.flotilla.provisioner.team.ReconcileRequests;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** A verdict is observed state of the team's machines: recorded, then the team's reconcile acts on it. */
@Component
class HealthListener {

    private final HealthVerdicts verdicts;
    private final ReconcileRequests reconciles;

    HealthListener(HealthVerdicts verdicts, ReconcileRequests reconciles) {
        this.verdicts = verdicts;
        this.reconciles = reconciles;
    }

    @KafkaListener(id = "provisioner-health", topics = Topics.HEALTH_NAME)
    void on(EventEnvelope<HealthEvent> event) {
        if (event.data() instanceof HealthChanged changed) {
            verdicts.record(changed);
            reconciles.reconcile(changed.teamId(), TraceParent.current());
        }
    }
}
