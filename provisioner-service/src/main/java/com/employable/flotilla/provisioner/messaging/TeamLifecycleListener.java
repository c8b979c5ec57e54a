package com.employable.flotilla.provisioner.messaging;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.team.TeamLifecycleEvent;
import com.employable.flotilla.provisioner.team.ConsumedEvent;
import com.employable.flotilla.provisioner.team.DesiredStateService;
import com.employable.flotilla.provisioner.team.DesiredStateService.Refusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.stereotype.Component;

/**
 * employable's lifecycle events, recorded as desired state, a poll's batch per transaction (a burst of creates is
 * recorded at the database's pace, not one commit per record). The partitions this listener is assigned decide which
 * teams this instance owns ({@link com.employable.flotilla.provisioner.ownership.TeamOwnership}); the cooperative
 * assignor moves only the partitions that change hands in a rebalance. Records arrive in order per partition, and a
 * team's events are keyed to one partition, so each team's events are recorded in order.
 *
 * <p>Failures keep the service's conventions ({@code DeadLetters}), told to the error handler as a
 * {@link BatchListenerFailedException} naming the record: a malformed record or an event the service refuses is
 * dead-lettered alone, after the records before it are recorded and committed; the records after it are delivered
 * again and recorded by the next poll. A failure of the database rolls the whole batch back and names its first
 * record: nothing of it is committed, and it is redelivered with back-off until it is recorded.
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
            properties = {
                "partition.assignment.strategy=org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
                "max.poll.records=${flotilla.intake.max-poll-records:500}"
            })
    void on(List<ConsumerRecord<String, byte[]>> records) {
        List<ConsumedEvent> events = new ArrayList<>(records.size());
        MessageConversionException malformed = null;
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(new ConsumedEvent(decode(record), () -> RecordTrace.process(record)));
            } catch (MessageConversionException e) {
                malformed = e;
                break;
            }
        }
        Optional<Refusal> refused;
        try {
            refused = desiredState.applyAll(events);
        } catch (RuntimeException databaseOrOther) {
            throw new BatchListenerFailedException(
                    "batch not recorded: " + databaseOrOther.getMessage(), databaseOrOther, records.get(0));
        }
        if (refused.isPresent()) {
            Refusal refusal = refused.get();
            throw new BatchListenerFailedException(
                    refusal.reason().getMessage(), refusal.reason(), records.get(refusal.index()));
        }
        if (malformed != null) {
            throw new BatchListenerFailedException(malformed.getMessage(), malformed, records.get(events.size()));
        }
    }

    /** As the service's message converter decodes: a record that breaks the contract is a conversion failure. */
    @SuppressWarnings("unchecked")
    private static EventEnvelope<TeamLifecycleEvent> decode(ConsumerRecord<String, byte[]> record) {
        try {
            return (EventEnvelope<TeamLifecycleEvent>) CloudEventCodec.decode(record);
        } catch (InvalidEventException invalid) {
            throw new MessageConversionException(invalid.getMessage(), invalid);
        }
    }
}
