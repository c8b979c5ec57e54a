package com.employable.flotilla.common.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The checked-in JSON Schema of every event type equals the one derived from its record, accepts the recorded
 * example and refuses the example without a required field. Regenerate after changing a record with
 * {@code -Dflotilla.schemas.write=true} and review the diff.
 */
class EventSchemaTest {

    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    static Stream<Arguments> eventTypes() {
        return Topics.ALL.stream()
                .flatMap(topic ->
                        topic.types().entrySet().stream().map(type -> Arguments.of(type.getKey(), type.getValue())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void checkedInSchemaIsTheRecordsSchemaAndAcceptsTheExample(String ceType, Class<?> type) throws IOException {
        ObjectNode derived = EventSchemas.schemaOf(ceType, type);
        if (Boolean.getBoolean("flotilla.schemas.write")) {
            Path file = Path.of("src/main/resources/schemas", ceType + ".schema.json");
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file, EventSchemas.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(derived) + "\n");
        }

        JsonNode checkedIn = EventSchemas.JSON.readTree(resource("/schemas/" + ceType + ".schema.json"));

        assertThat(checkedIn)
                .as("schemas/" + ceType + ".schema.json differs from " + type.getSimpleName()
                        + "; regenerate with -Dflotilla.schemas.write=true and review the diff")
                .isEqualTo(derived);
        var schema = SCHEMAS.getSchema(EventSchemas.JSON.writeValueAsString(checkedIn), InputFormat.JSON);
        String example = resource("/examples/" + ceType + ".json");
        assertThat(schema.validate(example, InputFormat.JSON)).isEmpty();
        ObjectNode missing = (ObjectNode) EventSchemas.JSON.readTree(example);
        missing.remove(EventSchemas.requiredFields(type).get(0));
        assertThat(schema.validate(EventSchemas.JSON.writeValueAsString(missing), InputFormat.JSON))
                .isNotEmpty();
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = EventSchemaTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
