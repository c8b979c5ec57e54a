package com.employable.flotilla.registry.auth;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** A dotted path into a token's claims, such as {@code app_metadata.team_id}. */
record ClaimPath(List<String> segments) {

    static ClaimPath of(String dotted) {
        return new ClaimPath(List.of(dotted.split("\\.")));
    }

    Object read(Map<String, Object> claims) {
        Object current = claims;
        for (String segment : segments) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(segment);
        }
        return current;
    }

    String readString(Map<String, Object> claims) {
        return read(claims) instanceof String value && !value.isBlank() ? value : null;
    }

    /** Whether the claim equals {@code value} or, as an array, contains it. */
    boolean holds(Map<String, Object> claims, String value) {
        Object claim = read(claims);
        if (claim instanceof Collection<?> values) {
            return values.contains(value);
        }
        return value.equals(claim);
    }
}
