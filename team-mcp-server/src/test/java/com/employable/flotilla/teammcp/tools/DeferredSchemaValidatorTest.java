package com.employable.flotilla.teammcp.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeferredSchemaValidatorTest {

    private static final Map<String, Object> SHIPPED = Map.of(
            "type",
            "object",
            "properties",
            Map.of("title", Map.of("type", "string", "maxLength", 5)),
            "required",
            List.of("title"));

    private final AtomicInteger created = new AtomicInteger();
    private final DeferredSchemaValidator validator = new DeferredSchemaValidator(List.of(SHIPPED), () -> {
        created.incrementAndGet();
        return McpJsonDefaults.getSchemaValidator();
    });

    @Test
    void acceptsTheSchemasCheckedAtBuildWithoutLoadingTheValidator() {
        assertThat(validator.validateSchema(Map.copyOf(SHIPPED)).valid()).isTrue();
        assertThat(created).hasValue(0);
    }

    @Test
    void stillChecksAnySchemaItWasNotGiven() {
        var broken = Map.<String, Object>of("type", "object", "properties", Map.of("title", Map.of("type", 5)));

        JsonSchemaValidator.ValidationResponse result = validator.validateSchema(broken);

        assertThat(result.valid()).isFalse();
        assertThat(created).hasValue(1);
    }

    @Test
    void validatesToolArgumentsWithTheSdkValidatorCreatedOnce() {
        assertThat(validator.validate(SHIPPED, Map.of("title", "short")).valid())
                .isTrue();
        assertThat(validator.validate(SHIPPED, Map.of("title", "far too long")).valid())
                .isFalse();
        assertThat(validator.validate(SHIPPED, Map.of()).valid()).isFalse();
        assertThat(created).hasValue(1);
    }
}
