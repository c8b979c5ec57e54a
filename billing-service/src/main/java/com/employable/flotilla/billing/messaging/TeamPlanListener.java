package com.employable.flotilla.billing.messaging;

import com.employable.flotilla.billing.metering.MeteringService;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.team.TeamLifecycleEvent;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Plans come from employable: finance totals per plan, and budgets are per plan. */
@Component
class TeamPlanListener {

    private final MeteringService metering;

    TeamPlanListener(MeteringService metering) {
        this.metering = metering;
    }

    @KafkaListener(id = "billing-team-lifecycle", topics = Topics.TEAM_LIFECYCLE_NAME)
    void on(EventEnvelope<TeamLifecycleEvent> event) {
        metering.plan(event);
    }
}
