package com.employable.flotilla.common.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Derives the JSON Schema (draft 2020-12) of an event record from the record itself: the components, their
 * {@code @JsonProperty} names, which are required, and their types. The checked-in schemas must equal this.
 */
final class EventSchemas {

    static final String TEAM_ID_PATTERN =
            "^([a-z0-9-]{1,40}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$";

    static final String DECIMAL_PATTERN = "^-?[0-9]+(\\.[0-9]+)?$";

    /** Plain Jackson: the contracts carry their wire names and enum values in their own annotations. */
    static final JsonMapper JSON = JsonMapper.builder().build();

    private EventSchemas() {}

    /** The wire names of the components marked {@code required}, in declaration order. */
    static List<String> requiredFields(Class<?> record) {
        return Arrays.stream(record.getRecordComponents())
                .map(component -> component.getAccessor().getAnnotation(JsonProperty.class))
                .filter(JsonProperty::required)
                .map(JsonProperty::value)
                .toList();
    }

    static ObjectNode schemaOf(String ceType, Class<?> record) {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("$id", "urn:flotilla:schema:" + ceType);
        schema.put("title", record.getSimpleName());
        schema.put(
                "description",
                "Data of the CloudEvent of type " + ceType
                        + ". Unknown properties are allowed: consumers ignore them.");
        schema.setAll(objectSchema(record));
        return schema;
    }

    private static ObjectNode objectSchema(Class<?> record) {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = JSON.createArrayNode();
        for (RecordComponent component : record.getRecordComponents()) {
            JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
            if (property == null) {
                throw new IllegalStateException(record.getSimpleName() + "." + component.getName()
                        + " has no @JsonProperty: every wire field is named explicitly");
            }
            String name = property.value();
            properties.set(name, typeSchema(name, component.getGenericType()));
            if (property.required()) {
                required.add(name);
            }
        }
        schema.set("required", required);
        schema.put("additionalProperties", true);
        return schema;
    }

    private static ObjectNode typeSchema(String name, Type type) {
        ObjectNode schema = JSON.createObjectNode();
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == List.class) {
            schema.put("type", "array");
            schema.set("items", typeSchema(name, parameterized.getActualTypeArguments()[0]));
            return schema;
        }
        Class<?> raw = (Class<?>) type;
        if (raw == String.class) {
            schema.put("type", "string");
            if (name.equals("teamId")) {
                schema.put("pattern", TEAM_ID_PATTERN);
            }
        } else if (raw == long.class || raw == Long.class || raw == int.class || raw == Integer.class) {
            schema.put("type", "integer");
        } else if (raw == boolean.class || raw == Boolean.class) {
            schema.put("type", "boolean");
        } else if (raw == Instant.class) {
            schema.put("type", "string");
            schema.put("format", "date-time");
        } else if (raw == BigDecimal.class) {
            schema.put("type", "string");
            schema.put("pattern", DECIMAL_PATTERN);
        } else if (raw.isEnum()) {
            schema.put("type", "string");
            ArrayNode values = schema.putArray("enum");
            for (Object constant : raw.getEnumConstants()) {
                values.add(JSON.valueToTree(constant).asString());
            }
        } else if (raw.isRecord()) {
            return objectSchema(raw);
        } else {
            throw new IllegalStateException("no schema mapping for " + raw + " (" + name + ")");
        }
        return schema;
    }
}
