package com.employable.flotilla.devstack.dlt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One record of a {@code <topic>-dlt} topic as the platform's error handler wrote it: the original key, value and
 * headers, plus Spring Kafka's {@code kafka_dlt-*} headers (original topic, partition, offset, timestamp, consumer
 * group, exception) and Flotilla's {@value #REASON}.
 *
 * @param time when the record was dead-lettered (the dead-letter record's timestamp)
 */
public record DeadLetter(
        String topic, int partition, long offset, Instant time, String key, List<Header> headers, byte[] value) {

    /** common's {@code DeadLetters.REASON_HEADER}: the innermost cause, in one line. */
    public static final String REASON = "flotilla_dlt_reason";

    public static final String SUFFIX = "-dlt";

    static final String SPRING_PREFIX = "kafka_dlt-";

    static final String ORIGINAL_TOPIC = SPRING_PREFIX + "original-topic";
    static final String ORIGINAL_PARTITION = SPRING_PREFIX + "original-partition";
    static final String ORIGINAL_OFFSET = SPRING_PREFIX + "original-offset";
    static final String ORIGINAL_TIMESTAMP = SPRING_PREFIX + "original-timestamp";
    static final String ORIGINAL_GROUP = SPRING_PREFIX + "original-consumer-group";
    static final String EXCEPTION_MESSAGE = SPRING_PREFIX + "exception-message";

    /** Spring Kafka writes these as big-endian binary numbers, not text. */
    static final List<String> INT_HEADERS = List.of(ORIGINAL_PARTITION);

    static final List<String> LONG_HEADERS = List.of(ORIGINAL_OFFSET, ORIGINAL_TIMESTAMP);

    public DeadLetter {
        headers = List.copyOf(headers);
    }

    /** One Kafka header, in the order the record carries them (a name may repeat). */
    public record Header(String name, byte[] value) {

        /** The value as text; the binary numbers Spring Kafka writes are decoded. */
        public String text() {
            if (value == null) {
                return "";
            }
            if (INT_HEADERS.contains(name) && value.length == Integer.BYTES) {
                return Integer.toString(ByteBuffer.wrap(value).getInt());
            }
            if (LONG_HEADERS.contains(name) && value.length == Long.BYTES) {
                long number = ByteBuffer.wrap(value).getLong();
                return name.equals(ORIGINAL_TIMESTAMP)
                        ? Instant.ofEpochMilli(number).toString()
                        : Long.toString(number);
            }
            return new String(value, StandardCharsets.UTF_8);
        }

        /** Whether the error handler added it (so a replay leaves it out). */
        boolean addedByDeadLettering() {
            return name.startsWith(SPRING_PREFIX) || name.startsWith("flotilla_dlt_");
        }
    }

    /** The last header of that name, as text. */
    public Optional<String> header(String name) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).name().equals(name)) {
                return Optional.of(headers.get(i).text());
            }
        }
        return Optional.empty();
    }

    /** How {@code list} and {@code show} name it: {@code <topic> <partition>/<offset>}. */
    public String ref() {
        return topic + " " + partition + "/" + offset;
    }

    /**
     * Where it came from, derived from the dead-letter topic's name: a header does not choose where a replay writes
     * (see {@link #originalTopicHeaderDisagrees()}).
     */
    public String originalTopic() {
        return topic.endsWith(SUFFIX) ? topic.substring(0, topic.length() - SUFFIX.length()) : topic;
    }

    /** Spring's original-topic header names another topic than the dead-letter topic's: not replayed. */
    public boolean originalTopicHeaderDisagrees() {
        return header(ORIGINAL_TOPIC).map(name -> !name.equals(originalTopic())).orElse(false);
    }

    public Optional<String> originalPosition() {
        return header(ORIGINAL_PARTITION).flatMap(p -> header(ORIGINAL_OFFSET).map(o -> p + "/" + o));
    }

    public Optional<String> consumerGroup() {
        return header(ORIGINAL_GROUP);
    }

    public Optional<String> ceId() {
        return header("ce_id");
    }

    public Optional<String> ceType() {
        return header("ce_type");
    }

    /** Why it was dead-lettered: Flotilla's one-line reason, else Spring's exception message. */
    public String reason() {
        return header(REASON).or(() -> header(EXCEPTION_MESSAGE)).orElse("(no reason header)");
    }

    /**
     * The record as it was first published: one original record is dead-lettered once per consumer group that failed
     * on it, and is replayed once.
     */
    public String origin() {
        return originalTopic() + " " + originalPosition().orElse(ceId().orElse(ref()));
    }

    /** The headers the original record carried, in order: everything but what dead-lettering added. */
    public List<Header> originalHeaders() {
        return headers.stream().filter(h -> !h.addedByDeadLettering()).toList();
    }
}
