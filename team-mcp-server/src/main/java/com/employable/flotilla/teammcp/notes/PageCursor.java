package com.employable.flotilla.teammcp.notes;

import com.employable.flotilla.teammcp.tools.ToolInputException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the next page of {@code notes_list} starts: the (created_at, id) of the last note returned, since notes are
 * listed newest first by that key. Opaque to callers; a forged cursor can only move within the caller's own team's
 * notes, because the query is bound to the team like every other.
 */
record PageCursor(Instant createdAt, UUID id) {

    private static final Pattern FORMAT = Pattern.compile("v1:(-?[0-9]{1,19}):([0-9a-f-]{36})");

    String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("v1:" + micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    static PageCursor decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            Matcher matcher = FORMAT.matcher(text);
            if (matcher.matches()) {
                Instant createdAt = Instant.EPOCH.plus(Long.parseLong(matcher.group(1)), ChronoUnit.MICROS);
                return new PageCursor(createdAt, UUID.fromString(matcher.group(2)));
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            // reported below
        }
        throw new ToolInputException(
                "'cursor' is not a cursor returned by notes_list; omit it to start from the " + "newest note");
    }
}
