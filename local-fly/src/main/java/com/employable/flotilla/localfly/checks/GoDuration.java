package com.employable.flotilla.localfly.checks;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A check duration as Fly takes it: a Go duration string ({@code "15s"}, {@code "1m30s"}, {@code "500ms"},
 * {@code "1.5s"}), or, as Fly's docs text describes, an integer of nanoseconds.
 */
final class GoDuration {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private static final Map<String, Long> NANOS = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "µs", 1_000L,
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    private GoDuration() {}

    /**
     * @return the duration, or {@code fallback} when the field is absent
     * @throws IllegalArgumentException naming {@code field} when it is neither a duration string nor nanoseconds
     */
    static Duration parse(JsonNode value, Duration fallback, String field) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (value.isIntegralNumber()) {
            return Duration.ofNanos(value.asLong());
        }
        if (!value.isString()) {
            throw new IllegalArgumentException(field + " must be a duration such as \"15s\"");
        }
        String text = value.asString().trim();
        Matcher part = PART.matcher(text);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(NANOS.get(part.group(2)))));
            end = part.end();
        }
        if (text.isEmpty() || end != text.length()) {
            throw new IllegalArgumentException(field + " '" + text + "' is not a duration such as \"15s\"");
        }
        return Duration.ofNanos(nanos.longValue());
    }
}
