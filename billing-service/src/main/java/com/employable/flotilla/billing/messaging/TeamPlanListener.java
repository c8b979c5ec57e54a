package com.employable.flotilla.billing.messaging;

import com.employable.flotilla.billing.metering.TeamPlans;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.team.TeamLifecycleEvent;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Plans come from employable: finance totals per plan, and budgets are per plan. */
@Component
class TeamPlanListener {

    private final TeamPlans plans;

    TeamPlanListener(TeamPlans plans) {
        this.plans = plans;
    }

    @KafkaListener(id = "billing-team-lifecycle", topics = Topics.TEAM_LIFECYCLE_NAME)
    void on(EventEnvelope<TeamLifecycleEvent> event) {
        plans.apply(event);
    }
}
