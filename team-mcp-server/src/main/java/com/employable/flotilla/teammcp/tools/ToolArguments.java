package com.employable.flotilla.teammcp.tools;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Typed access to a tool call's arguments. The SDK already checks them against the input schema; these checks
 * repeat what matters for correctness (types, lengths, ranges) so a handler never trusts the schema validator alone,
 * and add what a schema cannot say (no NUL characters, which PostgreSQL text cannot hold).
 */
public final class ToolArguments {

    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Map<String, Object> arguments;

    public ToolArguments(Map<String, Object> arguments) {
        this.arguments = arguments == null ? Map.of() : arguments;
    }

    public Optional<String> optionalString(String name, int maxCodePoints) {
        Object value = arguments.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw new ToolInputException("'" + name + "' must be a string");
        }
        if (text.indexOf('\u0000') >= 0) {
            throw new ToolInputException("'" + name + "' must not contain NUL characters");
        }
        int length = text.codePointCount(0, text.length());
        if (length > maxCodePoints) {
            throw new ToolInputException(
                    "'" + name + "' is " + length + " characters; at most " + maxCodePoints + " are allowed");
        }
        return Optional.of(text);
    }

    /** A required string that is not blank once trimmed; returned trimmed. */
    public String requiredText(String name, int maxCodePoints) {
        String text = optionalString(name, maxCodePoints)
                .orElseThrow(() -> new ToolInputException("'" + name + "' is required"))
                .strip();
        if (text.isEmpty()) {
            throw new ToolInputException("'" + name + "' must not be blank");
        }
        return text;
    }

    public int optionalInt(String name, int defaultValue, int min, int max) {
        Object value = arguments.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
            throw new ToolInputException("'" + name + "' must be an integer");
        }
        double n = number.doubleValue();
        if (n < min || n > max) {
            throw new ToolInputException("'" + name + "' must be between " + min + " and " + max);
        }
        return (int) n;
    }

    public UUID requiredUuid(String name) {
        String text = optionalString(name, 36).orElseThrow(() -> new ToolInputException("'" + name + "' is required"));
        if (!CANONICAL_UUID.matcher(text).matches()) {
            throw new ToolInputException(
                    "'" + name + "' must be a note id (a UUID such as " + "3f2b8c1e-5d4a-4b6e-9f1a-2c3d4e5f6a7b)");
        }
        return UUID.fromString(text);
    }
}
