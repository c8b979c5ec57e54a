package com.employable.flotilla.billing.messaging;

import com.employable.flotilla.billing.metering.MeteringService;
import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.stereotype.Component;

/**
 * Machine states arrive in bursts (a fleet resync publishes thousands), so this listener takes whole polls: one
 * transaction and one offset commit per poll. A record that breaks the contract fails the batch at its index; the
 * error handler commits what came before it, dead-letters it and redelivers the rest.
 */
@Component
class MachineStateListener {

    static final String BATCH_ACKS = "billingBatchAcks";

    private final MeteringService metering;

    MachineStateListener(MeteringService metering) {
        this.metering = metering;
    }

    @KafkaListener(
            id = "billing-server-lifecycle",
            topics = Topics.SERVER_LIFECYCLE_NAME,
            batch = "true",
            containerPostProcessor = BATCH_ACKS,
            properties = "max.poll.records=2000")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        List<EventEnvelope<ServerLifecycleEvent>> events = new ArrayList<>(records.size());
        for (int index = 0; index < records.size(); index++) {
            ConsumerRecord<String, byte[]> record = records.get(index);
            try {
                events.add(CloudEventCodec.decode(
                        Topics.SERVER_LIFECYCLE, record.key(), record.headers(), record.value()));
            } catch (InvalidEventException invalid) {
                metering.recordAll(events);
                throw new BatchListenerFailedException(invalid.getMessage(), invalid, index);
            }
        }
        metering.recordAll(events);
    }

    @Component(BATCH_ACKS)
    static class BatchAcks
            implements ContainerPostProcessor<String, byte[], AbstractMessageListenerContainer<String, byte[]>> {

        @Override
        public void postProcess(AbstractMessageListenerContainer<String, byte[]> container) {
            // the platform default commits after every record; per poll is what makes batching pay
            container.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
        }
    }
}
