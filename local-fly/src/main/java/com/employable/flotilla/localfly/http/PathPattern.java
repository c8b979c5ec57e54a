package com.employable.flotilla.localfly.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A path like {@code /v1/apps/{app}/machines/{id}}: literal segments match themselves, {@code {name}} matches any
 * one segment and captures it. Matched segment by segment, so a parameter never spans a slash.
 */
public record PathPattern(String pattern, List<String> segments) {

    public PathPattern {
        segments = List.copyOf(segments);
    }

    public static PathPattern of(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a path pattern starts with /: " + pattern);
        }
        return new PathPattern(pattern, List.of(pattern.substring(1).split("/", -1)));
    }

    /** The captured parameters when {@code path} (its segments, decoded) matches. */
    public Optional<Map<String, String>> match(List<String> path) {
        if (path.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (isParameter(segment)) {
                params.put(segment.substring(1, segment.length() - 1), path.get(i));
            } else if (!segment.equals(path.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }
}
