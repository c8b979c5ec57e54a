package com.employable.flotilla.common.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The recorded example of every event type ({@code examples/<ce_type>.json} in the contracts jar), taken from the
 * architecture's contract examples, for tests in any module that consume events they do not produce.
 */
public final class EventFixtures {

    // a tree needs no event mapping: no record is bound here, so this cannot drift from the services' EventJson
    private static final JsonMapper TREES = JsonMapper.builder().build();

    private EventFixtures() {}

    public static String json(String ceType) {
        try (InputStream in = EventFixtures.class.getResourceAsStream("/examples/" + ceType + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded example for " + ceType);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    public static ObjectNode tree(String ceType) {
        return (ObjectNode) TREES.readTree(json(ceType));
    }
}
