package com.employable.flotilla.common.kafka;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.InvalidEventException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.support.converter.MessagingMessageConverter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Hands listeners an {@link EventEnvelope} decoded from the raw record. Decoding happens here, after the consumer
 * has read plain bytes, so a bad record fails as a conversion error (never retried) while its original bytes stay on
 * the record for the dead-letter topic: no poison-pill loop, nothing lost.
 */
public class CloudEventMessageConverter extends MessagingMessageConverter {

    @Override
    @SuppressWarnings("unchecked")
    public Message<?> toMessage(ConsumerRecord<?, ?> record, Object acknowledgment, Object consumer, Type type) {
        Message<?> raw = super.toMessage(record, acknowledgment, consumer, type);
        EventEnvelope<?> envelope;
        try {
            envelope = CloudEventCodec.decode((ConsumerRecord<String, byte[]>) record);
        } catch (InvalidEventException invalid) {
            throw new MessageConversionException(raw, invalid.getMessage(), invalid);
        } catch (ClassCastException notBytes) {
            throw new MessageConversionException(raw, "expected String keys and byte[] values", notBytes);
        }
        return MessageBuilder.createMessage(envelope, raw.getHeaders());
    }

    @Override
    protected Object extractAndConvertValue(ConsumerRecord<?, ?> record, Type type) {
        // the payload is replaced by the envelope in toMessage; keep the raw value meanwhile
        return record.value() == null ? Map.of() : record.value();
    }
}
