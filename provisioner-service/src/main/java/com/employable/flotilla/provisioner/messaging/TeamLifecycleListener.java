package com.employable.flotilla.provisioner.messaging;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.team.TeamLifecycleEvent;
import com.employable.flotilla.provisioner.team.DesiredStateService;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

@Component
class TeamLifecycleListener {

    private final DesiredStateService desiredState;

    TeamLifecycleListener(DesiredStateService desiredState) {
        this.desiredState = desiredState;
    }

    @KafkaListener(id = "provisioner-team-lifecycle", topics = Topics.TEAM_LIFECYCLE_NAME)
    void on(EventEnvelope<TeamLifecycleEvent> event) {
        desiredState.apply(event);
    }
}
