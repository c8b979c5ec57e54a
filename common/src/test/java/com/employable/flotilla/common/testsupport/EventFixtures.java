package com.employable.flotilla.common.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.employable.flotilla.common.cloudevents.EventJson;

import tools.jackson.databind.node.ObjectNode;

/**
 * The recorded example of every event type ({@code events/<ce_type>.json} in this test-jar), taken from the
 * architecture's contract examples, for tests in any module that consume events they do not produce.
 */
public final class EventFixtures {

    private EventFixtures() {
    }

    public static String json(String ceType) {
        try (InputStream in = EventFixtures.class.getResourceAsStream("/events/" + ceType + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded example for " + ceType);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    public static ObjectNode tree(String ceType) {
        return (ObjectNode) EventJson.MAPPER.readTree(json(ceType));
    }

    public static <T> T event(String ceType, Class<T> type) {
        return EventJson.MAPPER.readValue(json(ceType), type);
    }
}
