package com.employable.flotilla.common.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.cloudevents.EventJson;
import com.employable.flotilla.common.testsupport.EventFixtures;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every event type through the one JSON mapping and the CloudEvents codec: round trip, unknown fields tolerated, each
 * required field missing or null rejected with a message naming it. The schemas are checked next to the records, in
 * contracts.
 */
class EventContractTest {

    static Stream<Arguments> eventTypes() {
        return Topics.ALL.stream()
                .flatMap(topic -> topic.types().entrySet().stream()
                        .map(type -> Arguments.of(topic, type.getKey(), type.getValue())));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("eventTypes")
    <E> void roundTripsThroughJsonUnchanged(Topic<E> topic, String ceType, Class<? extends E> type) {
        E event = event(ceType, type);

        String written = EventJson.MAPPER.writeValueAsString(event);
        E read = EventJson.MAPPER.readValue(written, type);

        assertThat(read).isEqualTo(event);
        assertThat(EventJson.MAPPER.readTree(written)).isEqualTo(EventFixtures.tree(ceType));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("eventTypes")
    <E> void toleratesUnknownFields(Topic<E> topic, String ceType, Class<? extends E> type) {
        ObjectNode withExtras = EventFixtures.tree(ceType);
        withExtras.put("addedInAFutureVersion", "ignored");
        withExtras.putObject("nested").put("also", 1);

        EventEnvelope<E> envelope = decode(topic, ceType, withExtras);

        assertThat(envelope.data()).isEqualTo(event(ceType, type));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("eventTypes")
    <E> void rejectsEachMissingRequiredFieldNamingIt(Topic<E> topic, String ceType, Class<? extends E> type) {
        List<String> required = requiredFields(type);
        assertThat(required).isNotEmpty();
        for (String field : required) {
            ObjectNode missing = EventFixtures.tree(ceType);
            missing.remove(field);

            assertThatThrownBy(() -> decode(topic, ceType, missing))
                    .as(field)
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining(type.getSimpleName())
                    .hasMessageContaining("'" + field + "'");
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("eventTypes")
    <E> void rejectsNullForEachRequiredField(Topic<E> topic, String ceType, Class<? extends E> type) {
        for (String field : requiredFields(type)) {
            ObjectNode nulled = EventFixtures.tree(ceType);
            nulled.putNull(field);

            assertThatThrownBy(() -> decode(topic, ceType, nulled))
                    .as(field)
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining(field);
        }
    }

    @Test
    void rejectsATeamIdOutsideTheAllowedAlphabet() {
        for (String bad : List.of("Acme", "acme_sales", "", "a".repeat(41), "acme sales", "../etc")) {
            ObjectNode event = EventFixtures.tree(com.employable.flotilla.common.events.team.TeamCreated.TYPE);
            event.put("teamId", bad);

            assertThatThrownBy(() -> EventJson.MAPPER.treeToValue(
                            event, com.employable.flotilla.common.events.team.TeamCreated.class))
                    .as(bad)
                    .hasRootCauseInstanceOf(InvalidEventException.class)
                    .rootCause()
                    .hasMessageContaining("teamId must be 1-40 characters");
        }
        assertThat(Require.isTeamId("3f2b8c1e-9d4a-4b7e-8f6a-1c2d3e4f5a6b")).isTrue();
        assertThat(Require.isTeamId("a".repeat(40))).isTrue();
    }

    @Test
    void moneyIsWrittenAsDecimalStringsNeverFloats() {
        var usage = event(
                com.employable.flotilla.common.events.billing.UsageRecorded.TYPE,
                com.employable.flotilla.common.events.billing.UsageRecorded.class);

        JsonNode written = EventJson.MAPPER.valueToTree(usage);

        assertThat(written.get("total").isString()).isTrue();
        assertThat(written.get("lines").get(0).get("unitPrice").asString()).isEqualTo("0.00000140298");
        assertThat(usage.total()).isEqualByComparingTo("0.00505072");
    }

    @Test
    void optionalFieldsAreOmittedWhenAbsent() {
        var failed = new com.employable.flotilla.common.events.server.ServerProvisioningFailed(
                "acme-sales", 1, "create-app", "boom", false, 1, null);

        JsonNode written = EventJson.MAPPER.valueToTree(failed);

        assertThat(written.has("nextAttemptAt")).isFalse();
    }

    /** Audit finding 3: any producer could publish on any topic under any ce_source. */
    @Test
    void refusesARecordFromAnotherProducerThanTheTopics() {
        ObjectNode data = EventJson.MAPPER.createObjectNode().put("teamId", "acme-sales");
        var headers = CloudEventCodec.toRecord(
                        Topics.SERVER_LIFECYCLE.name(),
                        "acme-sales",
                        "id-1",
                        com.employable.flotilla.common.events.server.ServerDeprovisioned.TYPE,
                        "employable/web",
                        java.time.Instant.EPOCH,
                        new byte[0])
                .headers();

        assertThatThrownBy(() -> CloudEventCodec.decode(
                        Topics.SERVER_LIFECYCLE,
                        "acme-sales",
                        new RecordHeaders(headers.toArray()),
                        EventJson.MAPPER.writeValueAsBytes(data)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("ce_source 'employable/web' is not the producer of flotilla.server.lifecycle.v1 "
                        + "(flotilla/provisioner)");
        assertThatThrownBy(() -> new CloudEventCodec("flotilla/registry")
                        .envelope(
                                Topics.SERVER_LIFECYCLE,
                                new com.employable.flotilla.common.events.server.ServerDeprovisioned(
                                        "acme-sales", 1, "app", java.time.Instant.EPOCH)))
                .isInstanceOf(IllegalStateException.class);
    }

    private static <E> EventEnvelope<E> decode(Topic<E> topic, String ceType, ObjectNode data) {
        var headers = CloudEventCodec.toRecord(
                        topic.name(),
                        "acme-sales",
                        "id-1",
                        ceType,
                        topic.producer(),
                        java.time.Instant.EPOCH,
                        new byte[0])
                .headers();
        return CloudEventCodec.decode(
                topic, "acme-sales", new RecordHeaders(headers.toArray()), EventJson.MAPPER.writeValueAsBytes(data));
    }

    static List<String> requiredFields(Class<?> type) {
        List<String> required = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
            if (property.required()) {
                required.add(property.value());
            }
        }
        return required;
    }

    private static <T> T event(String ceType, Class<T> type) {
        return EventJson.MAPPER.readValue(EventFixtures.json(ceType), type);
    }
}
