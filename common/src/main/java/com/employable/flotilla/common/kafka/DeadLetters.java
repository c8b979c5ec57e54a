package com.employable.flotilla.common.kafka;

import com.employable.flotilla.common.events.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Failures are classified. A contract violation ({@link InvalidEventException}, a record that cannot be converted or
 * deserialized) goes to {@code <topic>-dlt} at once: redelivering it cannot help. Anything else is taken to be an
 * infrastructure failure and the record is redelivered with exponential back-off until it succeeds, holding its
 * partition (see {@link FlotillaKafkaProperties.Retry}); {@link StuckRecords} counts and reports it.
 *
 * <p> The dead letter keeps the original key, value and headers and adds
 * Spring Kafka's {@code kafka_dlt-*} headers (exception class, original topic, partition, offset) plus
 * {@value #REASON_HEADER}, the innermost cause in one line, which is also the {@code kafka_dlt-exception-message}
 * (Spring's own would name the listener method that threw, not the cause). Stack traces are left out: they help nobody reading a
 * topic and may carry more than they should.
 */
public final class DeadLetters {

    public static final String REASON_HEADER = "flotilla_dlt_reason";

    public static final String SUFFIX = "-dlt";

    /** Failures of the record itself, found anywhere in the cause chain: redelivering the record cannot help. */
    private static final List<Class<? extends Exception>> CONTRACT_VIOLATIONS =
            List.of(InvalidEventException.class, MessageConversionException.class, DeserializationException.class);

    private DeadLetters() {}

    public static DefaultErrorHandler errorHandler(
            KafkaOperations<?, ?> template, FlotillaKafkaProperties.Retry retry, RetryListener stuckRecords) {
        return errorHandler(template, retry, stuckRecords, topic -> {});
    }

    /** @param deadLettered told the source topic of every record once its dead letter is written */
    public static DefaultErrorHandler errorHandler(
            KafkaOperations<?, ?> template,
            FlotillaKafkaProperties.Retry retry,
            RetryListener stuckRecords,
            Consumer<String> deadLettered) {
        var recoverer = new DeadLetterPublishingRecoverer(
                template, (record, failure) -> new TopicPartition(record.topic() + SUFFIX, -1));
        recoverer.excludeHeader(
                DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EX_STACKTRACE,
                // Spring's message is the listener's wrapper ("Listener method ... threw exception"): the reason
                // instead
                DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EX_MSG);
        recoverer.setHeadersFunction(DeadLetters::reasonHeader);
        var backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), 2.0);
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        // no limit on attempts nor elapsed time: only a contract violation may skip a record
        backOff.setMaxAttempts(ExponentialBackOff.DEFAULT_MAX_ATTEMPTS);
        backOff.setMaxElapsedTime(ExponentialBackOff.DEFAULT_MAX_ELAPSED_TIME);
        ConsumerRecordRecoverer counted = (record, failure) -> {
            recoverer.accept(record, failure);
            deadLettered.accept(record.topic());
        };
        var handler = new DefaultErrorHandler(counted, backOff);
        CONTRACT_VIOLATIONS.forEach(handler::addNotRetryableExceptions);
        handler.setRetryListeners(stuckRecords);
        // the container would log every failed delivery at ERROR with its stack trace; StuckRecords logs instead
        handler.setLogLevel(KafkaException.Level.DEBUG);
        return handler;
    }

    /** Whether {@code failure} dead-letters its record at once rather than holding the partition. */
    static boolean isContractViolation(Throwable failure) {
        for (Throwable current = failure;
                current != null;
                current = current.getCause() == current ? null : current.getCause()) {
            Throwable candidate = current;
            if (CONTRACT_VIOLATIONS.stream().anyMatch(type -> type.isInstance(candidate))) {
                return true;
            }
        }
        return false;
    }

    private static Headers reasonHeader(ConsumerRecord<?, ?> record, Exception failure) {
        Headers headers = new RecordHeaders();
        byte[] reason = reason(failure).getBytes(StandardCharsets.UTF_8);
        headers.add(REASON_HEADER, reason);
        headers.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, reason);
        return headers;
    }

    /**
     * What an operator needs to see first: the contract violation if the record broke the contract, else the innermost
     * cause's class and message.
     */
    static String reason(Throwable failure) {
        Throwable root = failure;
        Throwable contractViolation = null;
        for (Throwable current = failure;
                current != null;
                current = current.getCause() == current ? null : current.getCause()) {
            if (current instanceof InvalidEventException) {
                contractViolation = current;
            }
            root = current;
        }
        Throwable shown = contractViolation != null ? contractViolation : root;
        String message = shown.getMessage() == null ? "" : ": " + shown.getMessage();
        return shown.getClass().getSimpleName() + message;
    }
}
