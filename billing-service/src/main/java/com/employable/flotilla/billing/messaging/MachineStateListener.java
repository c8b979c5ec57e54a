package com.employable.flotilla.billing.messaging;

import com.employable.flotilla.billing.metering.MachineStateRules;
import com.employable.flotilla.billing.metering.MeteringService;
import com.employable.flotilla.billing.ownership.TeamOwnership;
import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.stereotype.Component;

/**
 * Machine states arrive in bursts (a fleet resync publishes thousands), so this listener takes whole polls: one
 * transaction and one offset commit per poll. Failures are told apart per record, never per poll:
 *
 * <ul>
 *   <li>a record that breaks the contract (or {@link MachineStateRules}) fails the batch at its index: the records
 *       before it are stored and committed, it alone is dead-lettered with the reason naming the field, and the
 *       records after it are redelivered;
 *   <li>anything else (the database) fails the batch at its first record, before anything was stored: the poll is
 *       redelivered with back-off for as long as the failure lasts, holding the partitions, and nothing is
 *       dead-lettered. Failing the whole batch instead would make Spring Kafka's batch fallback dead-letter every
 *       record of it once a contract violation shows up during its retries.
 * </ul>
 */
@Component
class MachineStateListener {

    static final String LISTENER_ID = "billing-server-lifecycle";

    static final String BATCH_ACKS = "billingBatchAcks";

    private final MeteringService metering;

    private final MachineStateRules rules;

    private final TeamOwnership ownership;

    MachineStateListener(MeteringService metering, MachineStateRules rules, TeamOwnership ownership) {
        this.metering = metering;
        this.rules = rules;
        this.ownership = ownership;
    }

    @KafkaListener(
            id = LISTENER_ID,
            topics = Topics.SERVER_LIFECYCLE_NAME,
            batch = "true",
            containerPostProcessor = BATCH_ACKS,
            properties = "max.poll.records=2000")
    void on(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
        List<EventEnvelope<ServerLifecycleEvent>> valid = new ArrayList<>(records.size());
        InvalidEventException violation = null;
        int violationAt = -1;
        for (int index = 0; index < records.size(); index++) {
            ConsumerRecord<String, byte[]> record = records.get(index);
            try {
                EventEnvelope<ServerLifecycleEvent> envelope =
                        CloudEventCodec.decode(Topics.SERVER_LIFECYCLE, record.key(), record.headers(), record.value());
                rules.check(envelope);
                valid.add(envelope);
            } catch (InvalidEventException invalid) {
                violation = invalid;
                violationAt = index;
                break;
            }
        }
        try {
            metering.recordAll(valid);
        } catch (RuntimeException outage) {
            // nothing of the poll was stored: hold it from its first record, retried until the failure ends
            throw new BatchListenerFailedException("storing machine states failed", outage, 0);
        }
        if (violation != null) {
            throw new BatchListenerFailedException(violation.getMessage(), violation, violationAt);
        }
        ownership.progress(consumer);
    }

    /** A partition whose last records were dead-lettered gets no more polls with records: it catches up idling. */
    @EventListener(condition = "event.listenerId.startsWith('" + LISTENER_ID + "')")
    void idle(ListenerContainerIdleEvent event) {
        ownership.progress(event.getConsumer());
    }

    @Component(BATCH_ACKS)
    static class BatchAcks
            implements ContainerPostProcessor<String, byte[], AbstractMessageListenerContainer<String, byte[]>> {

        private final TeamOwnership ownership;

        BatchAcks(TeamOwnership ownership) {
            this.ownership = ownership;
        }

        @Override
        public void postProcess(AbstractMessageListenerContainer<String, byte[]> container) {
            ContainerProperties properties = container.getContainerProperties();
            // the platform default commits after every record; per poll is what makes batching pay
            properties.setAckMode(ContainerProperties.AckMode.BATCH);
            // the hourly close follows the partitions this instance is assigned
            properties.setConsumerRebalanceListener(ownership);
            properties.setIdleEventInterval(5_000L);
        }
    }
}
