package com.employable.flotilla.common.events;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Validation shared by the compact constructors of the event records; messages name the offending field. */
public final class Require {

    private static final Pattern TEAM_ID = Pattern.compile("[a-z0-9-]{1,40}");

    private Require() {}

    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new InvalidEventException(field + " is required");
        }
        return value;
    }

    /**
     * An identifier-like value (a name, region, plan, id): not blank and no control character, since these end up in
     * log lines, SQL rows, Fly API calls and app names where a newline or NUL forges or breaks what follows.
     */
    public static String text(String value, String field) {
        notBlank(value, field);
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw controlCharacter(value, i, field);
            }
        }
        return value;
    }

    /**
     * Free text meant for people (an error message), which may legitimately span lines: not blank, no NUL, which
     * PostgreSQL cannot store and C-based tools read as the end of the text.
     */
    public static String freeText(String value, String field) {
        notBlank(value, field);
        int nul = value.indexOf('\0');
        if (nul >= 0) {
            throw controlCharacter(value, nul, field);
        }
        return value;
    }

    private static void notBlank(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidEventException(field + " is required and must not be blank");
        }
    }

    private static InvalidEventException controlCharacter(String value, int index, String field) {
        return new InvalidEventException(String.format(
                "%s must not contain control characters, found U+%04X at index %d",
                field, (int) value.charAt(index), index));
    }

    public static long positive(long value, String field) {
        if (value <= 0) {
            throw new InvalidEventException(field + " must be positive, was " + value);
        }
        return value;
    }

    public static long notNegative(long value, String field) {
        if (value < 0) {
            throw new InvalidEventException(field + " must not be negative, was " + value);
        }
        return value;
    }

    public static <T> List<T> list(List<T> value, String field) {
        return List.copyOf(present(value, field));
    }

    /** A team id is 1 to 40 characters of a-z, 0-9 and '-', or a UUID: the rule from the architecture. */
    public static String teamId(String value, String field) {
        present(value, field);
        if (!isTeamId(value)) {
            throw new InvalidEventException(field + " must be 1-40 characters of a-z 0-9 - or a lower-case UUID, was '"
                    + abbreviate(value) + "'");
        }
        return value;
    }

    public static boolean isTeamId(String value) {
        if (value == null) {
            return false;
        }
        if (TEAM_ID.matcher(value).matches()) {
            return true;
        }
        try {
            // canonical form only: an upper-case UUID is a different string for Kafka keys, rows and Fly app names
            return UUID.fromString(value).toString().equals(value);
        } catch (IllegalArgumentException notUuid) {
            return false;
        }
    }

    /** One of Fly's regions ({@link FlyRegions}). */
    public static String region(String value, String field) {
        text(value, field);
        if (!FlyRegions.ALL.contains(value)) {
            throw new InvalidEventException(field + " '" + shown(value) + "' is not a Fly region " + FlyRegions.ALL);
        }
        return value;
    }

    /** Text of at most {@code max} characters: a name, not a document. */
    public static String bounded(String value, String field, int max) {
        text(value, field);
        if (value.length() > max) {
            throw new InvalidEventException(
                    field + " has " + value.length() + " characters, at most " + max + " are allowed");
        }
        return value;
    }

    /** A value as an error message may quote it: one line, cut short, {@code null} spelled out. */
    public static String shown(String value) {
        return value == null ? "null" : abbreviate(value.replaceAll("\\p{Cntrl}", "?"));
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "...";
    }
}
