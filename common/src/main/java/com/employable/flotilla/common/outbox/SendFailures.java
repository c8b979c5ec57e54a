package com.employable.flotilla.common.outbox;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Tells a send Kafka refused for good, because of the row itself, from one that may succeed later. Only failures of
 * the record are permanent: it is too large for the topic (the broker's or topic's {@code max.message.bytes}, the
 * producer's {@code max.request.size}), its topic name is invalid, it cannot be serialized, or the broker found it
 * invalid (a record without a key on a compacted topic). Everything else (the broker down or unreachable, a timeout,
 * leadership moving, even an authorization error, which is configuration and would fail every row) is transient: it
 * is retried, in order, for as long as it lasts.
 */
final class SendFailures {

    private static final List<Class<? extends Throwable>> PERMANENT = List.of(
            RecordTooLargeException.class,
            RecordBatchTooLargeException.class,
            InvalidTopicException.class,
            SerializationException.class,
            InvalidRecordException.class,
            UnpublishableRow.class);

    private static final int MAX_REASON = 1000;

    private SendFailures() {}

    /** The failure that makes the row unpublishable, if it is one, anywhere in the cause chain. */
    static Optional<Throwable> permanent(Throwable failure) {
        for (Throwable current = failure;
                current != null;
                current = current.getCause() == current ? null : current.getCause()) {
            Throwable candidate = current;
            if (PERMANENT.stream().anyMatch(type -> type.isInstance(candidate))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** One line for the dead-letter table and the log: the class and message, cut short. */
    static String reason(Throwable failure) {
        String message = failure.getMessage() == null ? "" : ": " + failure.getMessage();
        String reason = (failure.getClass().getSimpleName() + message).replaceAll("\\p{Cntrl}", " ");
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "...";
    }

    /** A row no record can be made of (the same row fails the same way every time). */
    static final class UnpublishableRow extends RuntimeException {

        UnpublishableRow(Throwable cause) {
            super(cause.toString(), cause);
        }
    }
}
