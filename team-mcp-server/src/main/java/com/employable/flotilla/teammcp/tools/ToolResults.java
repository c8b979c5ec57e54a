package com.employable.flotilla.teammcp.tools;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tool results in one shape: structured content matching the tool's output schema, plus the same JSON as text for
 * clients that only read text (the spec's backwards-compatibility advice); errors are {@code isError: true} results
 * with a message the calling agent can act on.
 */
public final class ToolResults {

    // the SDK's mapper too: one set of serializers to build on a woken machine's first request, not one per class
    private static final JsonMapper JSON = JsonMapper.shared();

    private ToolResults() {}

    public static CallToolResult ok(Map<String, Object> structured) {
        return CallToolResult.builder()
                .structuredContent(structured)
                .addTextContent(JSON.writeValueAsString(structured))
                .isError(false)
                .build();
    }

    public static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
