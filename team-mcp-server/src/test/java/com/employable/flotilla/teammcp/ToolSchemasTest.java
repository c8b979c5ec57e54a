package com.employable.flotilla.teammcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.teammcp.notes.NotesDatabase;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The check the SDK would run at every start (each tool schema against the JSON Schema 2020-12 meta-schema), run
 * once here on the schemas the server ships; the server itself skips it for them (see DeferredSchemaValidator).
 */
class ToolSchemasTest {

    private final JsonSchemaValidator sdkValidator = McpJsonDefaults.getSchemaValidator();

    @Test
    void everyShippedToolSchemaIsAValidJsonSchema202012Document() {
        List<SyncToolSpecification> tools = shippedTools();

        assertThat(tools)
                .extracting(tool -> tool.tool().name())
                .containsExactly("team_info", "notes_add", "notes_get", "notes_list", "notes_search", "notes_delete");
        for (SyncToolSpecification tool : tools) {
            assertThat(tool.tool().inputSchema())
                    .as("%s input schema", tool.tool().name())
                    .isNotNull();
            assertConforms(tool.tool().name() + " input schema", tool.tool().inputSchema());
            assertThat(tool.tool().outputSchema())
                    .as("%s output schema", tool.tool().name())
                    .isNotNull();
            assertConforms(tool.tool().name() + " output schema", tool.tool().outputSchema());
        }
    }

    @Test
    void theMetaSchemaCheckRejectsABrokenSchema() {
        // the check above must be able to fail: a property whose "type" is not a type name
        var broken = Map.<String, Object>of("type", "object", "properties", Map.of("title", Map.of("type", 5)));

        assertThat(sdkValidator.validateSchema(broken).valid()).isFalse();
    }

    private void assertConforms(String what, Map<String, Object> schema) {
        var result = sdkValidator.validateSchema(schema);
        assertThat(result.valid()).as("%s: %s", what, result.errorMessage()).isTrue();
    }

    private static List<SyncToolSpecification> shippedTools() {
        ServerConfig config = ServerConfig.fromEnv(Map.of(
                ServerConfig.TEAM_ID,
                "alpha",
                ServerConfig.TEAM_TOKEN_KEY,
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"));
        return TeamApp.tools(config, new NotesDatabase(Optional.empty(), "alpha"));
    }
}
