package com.employable.flotilla.common.cloudevents;

import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.events.Require;
import com.employable.flotilla.common.events.TeamEvent;
import com.employable.flotilla.common.events.Topic;
import com.employable.flotilla.common.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Turns events into Kafka records with CloudEvents headers and back. Reading validates everything a consumer relies
 * on (known type, team id key, subject, required fields) and says precisely what is wrong with a bad record.
 */
public final class CloudEventCodec {

    private final String source;

    /** @param source this producer's {@code ce_source}, e.g. {@code flotilla/provisioner} */
    public CloudEventCodec(String source) {
        this.source = Require.text(source, "source");
    }

    /** A new envelope for an event this service produces now. */
    public <E extends TeamEvent> EventEnvelope<E> envelope(Topic<E> topic, E event) {
        if (!topic.producedBy(source)) {
            // every consumer would dead-letter it: fail where the misconfiguration is
            throw new IllegalStateException(source + " is not the producer of " + topic.name());
        }
        return new EventEnvelope<>(
                UUID.randomUUID().toString(), topic.typeOf(event), source, Instant.now(), event.teamId(), event);
    }

    /** A new envelope without data: a tombstone for {@code teamId} on a compacted topic. */
    public <E> EventEnvelope<E> tombstone(String type, String teamId) {
        return new EventEnvelope<>(
                UUID.randomUUID().toString(), type, source, Instant.now(), Require.teamId(teamId, "teamId"), null);
    }

    public String source() {
        return source;
    }

    public static byte[] writeData(Object data) {
        return data == null ? null : EventJson.MAPPER.writeValueAsBytes(data);
    }

    /** A binary-mode record; {@code data} may be null (a tombstone) only on a compacted topic. */
    public static ProducerRecord<String, byte[]> toRecord(
            String topic, String key, String id, String type, String source, Instant time, byte[] data) {
        Headers headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_1_0));
        headers.add(CloudEventHeaders.ID, bytes(id));
        headers.add(CloudEventHeaders.SOURCE, bytes(source));
        headers.add(CloudEventHeaders.TYPE, bytes(type));
        headers.add(CloudEventHeaders.TIME, bytes(time.toString()));
        headers.add(CloudEventHeaders.SUBJECT, bytes(key));
        if (data != null) {
            headers.add(CloudEventHeaders.CONTENT_TYPE, bytes(CloudEventHeaders.JSON));
        }
        return new ProducerRecord<>(topic, null, key, data, headers);
    }

    public static <E> ProducerRecord<String, byte[]> toRecord(Topic<E> topic, EventEnvelope<E> envelope) {
        return toRecord(
                topic.name(),
                envelope.subject(),
                envelope.id(),
                envelope.type(),
                envelope.source(),
                envelope.time(),
                writeData(envelope.data()));
    }

    /** Reads a record of any declared topic. */
    public static EventEnvelope<?> decode(ConsumerRecord<String, byte[]> record) {
        Topic<?> topic = Topics.byName(record.topic())
                .orElseThrow(() -> new InvalidEventException("topic " + record.topic() + " is not a Flotilla topic"));
        return decode(topic, record.key(), record.headers(), record.value());
    }

    public static <E> EventEnvelope<E> decode(Topic<E> topic, String key, Headers headers, byte[] value) {
        if (key == null || key.isEmpty()) {
            throw new InvalidEventException("record key (the team id) is missing");
        }
        if (!Require.isTeamId(key)) {
            throw new InvalidEventException("record key is not a valid team id");
        }
        String contentType = header(headers, CloudEventHeaders.CONTENT_TYPE).orElse(null);
        if (contentType != null && contentType.startsWith(CloudEventHeaders.STRUCTURED_JSON)) {
            return decodeStructured(topic, key, value);
        }
        return decodeBinary(topic, key, headers, value);
    }

    private static <E> EventEnvelope<E> decodeBinary(Topic<E> topic, String key, Headers headers, byte[] value) {
        String specVersion = requiredHeader(headers, CloudEventHeaders.SPEC_VERSION);
        String id = requiredHeader(headers, CloudEventHeaders.ID);
        String type = requiredHeader(headers, CloudEventHeaders.TYPE);
        String eventSource = requiredHeader(headers, CloudEventHeaders.SOURCE);
        Instant time = header(headers, CloudEventHeaders.TIME)
                .map(CloudEventCodec::parseTime)
                .orElse(null);
        String subject = header(headers, CloudEventHeaders.SUBJECT).orElse(key);
        JsonNode data = value == null ? null : parse(value);
        return envelope(topic, key, specVersion, id, type, eventSource, time, subject, data);
    }

    private static <E> EventEnvelope<E> decodeStructured(Topic<E> topic, String key, byte[] value) {
        if (value == null) {
            throw new InvalidEventException("a structured-mode CloudEvent needs a value");
        }
        JsonNode event = parse(value);
        if (!event.isObject()) {
            throw new InvalidEventException("a structured-mode CloudEvent must be a JSON object");
        }
        if (event.has("data_base64")) {
            throw new InvalidEventException("data_base64 is not supported: events carry JSON data");
        }
        Instant time = textField(event, "time").map(CloudEventCodec::parseTime).orElse(null);
        JsonNode data = event.get("data");
        return envelope(
                topic,
                key,
                textField(event, "specversion").orElse(null),
                textField(event, "id").orElse(null),
                textField(event, "type").orElse(null),
                textField(event, "source").orElse(null),
                time,
                textField(event, "subject").orElse(key),
                data == null || data.isNull() ? null : data);
    }

    private static <E> EventEnvelope<E> envelope(
            Topic<E> topic,
            String key,
            String specVersion,
            String id,
            String type,
            String eventSource,
            Instant time,
            String subject,
            JsonNode data) {
        if (!CloudEventHeaders.SPEC_VERSION_1_0.equals(specVersion)) {
            throw new InvalidEventException("specversion must be 1.0, was " + specVersion);
        }
        Require.text(id, "ce_id");
        Require.text(type, "ce_type");
        Require.text(eventSource, "ce_source");
        if (!topic.producedBy(eventSource)) {
            throw new InvalidEventException("ce_source '" + abbreviate(eventSource) + "' is not the producer of "
                    + topic.name() + " (" + topic.producer() + ")");
        }
        if (!key.equals(subject)) {
            throw new InvalidEventException("ce_subject '" + subject + "' differs from the record key '" + key + "'");
        }
        Class<? extends E> dataType = topic.classOf(type)
                .orElseThrow(
                        () -> new InvalidEventException("unknown ce_type '" + type + "' for topic " + topic.name()));
        if (data == null) {
            if (!topic.compacted()) {
                throw new InvalidEventException("the value is empty, but " + topic.name() + " is not compacted");
            }
            return new EventEnvelope<>(id, type, eventSource, time, key, null);
        }
        E event = bind(data, dataType);
        if (event instanceof TeamEvent teamEvent && !key.equals(teamEvent.teamId())) {
            throw new InvalidEventException(
                    "teamId '" + teamEvent.teamId() + "' in the data differs from the record key '" + key + "'");
        }
        return new EventEnvelope<>(id, type, eventSource, time, key, event);
    }

    private static <T> T bind(JsonNode data, Class<T> type) {
        if (!data.isObject()) {
            throw new InvalidEventException("the data of " + type.getSimpleName() + " must be a JSON object");
        }
        try {
            return EventJson.MAPPER.treeToValue(data, type);
        } catch (ValueInstantiationException invalid) {
            Throwable cause = invalid.getCause() != null ? invalid.getCause() : invalid;
            throw new InvalidEventException("invalid " + type.getSimpleName() + ": " + cause.getMessage(), invalid);
        } catch (JacksonException mismatch) {
            throw new InvalidEventException(
                    "invalid " + type.getSimpleName() + at(mismatch) + ": " + mismatch.getOriginalMessage(), mismatch);
        }
    }

    /** Where in the data the problem is, e.g. {@code at 'machines[0].guest'}. */
    private static String at(JacksonException failure) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : failure.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "" : " at '" + path + "'";
    }

    private static JsonNode parse(byte[] value) {
        try {
            return EventJson.MAPPER.readTree(value);
        } catch (JacksonException notJson) {
            throw new InvalidEventException("the value is not valid JSON: " + notJson.getOriginalMessage(), notJson);
        }
    }

    private static Instant parseTime(String time) {
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException notRfc3339) {
            throw new InvalidEventException("ce_time is not an RFC 3339 timestamp: " + time);
        }
    }

    private static Optional<String> textField(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asString());
    }

    private static String requiredHeader(Headers headers, String name) {
        return header(headers, name).orElseThrow(() -> new InvalidEventException("header " + name + " is missing"));
    }

    public static Optional<String> header(Headers headers, String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        return Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static String abbreviate(String value) {
        String printable = value.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return printable.length() <= 60 ? printable : printable.substring(0, 60) + "...";
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
