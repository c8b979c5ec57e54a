package com.employable.flotilla.teammcp.tools;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The SDK's JSON-schema validator, built on first use rather than at start-up. When a server is built, the SDK checks
 * every tool's schemas against the JSON Schema 2020-12 meta-schema. For this server's own tools the schemas are
 * compiled in and {@code ToolSchemasTest} runs that same check on them at build time. Running it again cost about a
 * quarter of the start of a woken machine on one core, and the meta-schema is loaded only for that check. So those
 * schemas are accepted here. Any other schema is still checked. Tool arguments are always validated, by the SDK's
 * validator, created on the first tool call.
 */
public final class DeferredSchemaValidator implements JsonSchemaValidator {

    private final Set<Map<String, Object>> checkedAtBuild;
    private final Supplier<JsonSchemaValidator> factory;
    private volatile JsonSchemaValidator delegate;

    DeferredSchemaValidator(Collection<Map<String, Object>> checkedAtBuild, Supplier<JsonSchemaValidator> factory) {
        this.checkedAtBuild = new HashSet<>(checkedAtBuild);
        this.factory = factory;
    }

    /** For the server's own tools; {@code ToolSchemasTest} holds their schemas to the meta-schema. */
    public static DeferredSchemaValidator forOwnTools(Collection<SyncToolSpecification> tools) {
        var schemas = new HashSet<Map<String, Object>>();
        for (SyncToolSpecification tool : tools) {
            schemas.add(tool.tool().inputSchema());
            if (tool.tool().outputSchema() != null) {
                schemas.add(tool.tool().outputSchema());
            }
        }
        return new DeferredSchemaValidator(schemas, McpJsonDefaults::getSchemaValidator);
    }

    @Override
    public ValidationResponse validateSchema(Map<String, Object> schema) {
        if (checkedAtBuild.contains(schema)) {
            return ValidationResponse.asValid(null);
        }
        return delegate().validateSchema(schema);
    }

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        return delegate().validate(schema, structuredContent);
    }

    private JsonSchemaValidator delegate() {
        JsonSchemaValidator validator = delegate;
        if (validator == null) {
            synchronized (this) {
                validator = delegate;
                if (validator == null) {
                    validator = Objects.requireNonNull(factory.get(), "schema validator");
                    delegate = validator;
                }
            }
        }
        return validator;
    }
}
