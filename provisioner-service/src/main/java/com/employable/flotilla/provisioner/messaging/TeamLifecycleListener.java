package com.employable.flotilla.provisioner.messaging;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.team.TeamLifecycleEvent;
import com.employable.flotilla.provisioner.team.DesiredStateService;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * employable's lifecycle events, recorded as desired state. The partitions this listener is assigned decide which
 * teams this instance owns ({@link com.employable.flotilla.provisioner.ownership.TeamOwnership}); the cooperative
 * assignor moves only the partitions that change hands in a rebalance.
 */
@Component
class TeamLifecycleListener {

    private final DesiredStateService desiredState;

    TeamLifecycleListener(DesiredStateService desiredState) {
        this.desiredState = desiredState;
    }

    @KafkaListener(
            id = "provisioner-team-lifecycle",
            topics = Topics.TEAM_LIFECYCLE_NAME,
            containerFactory = LifecycleListenerConfiguration.FACTORY,
            properties = "partition.assignment.strategy=org.apache.kafka.clients.consumer.CooperativeStickyAssignor")
    void on(EventEnvelope<TeamLifecycleEvent> event) {
        desiredState.apply(event);
    }
}
