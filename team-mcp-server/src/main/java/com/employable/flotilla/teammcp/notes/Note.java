package com.employable.flotilla.teammcp.notes;

import java.time.Instant;
import java.util.UUID;

/** A note as stored; {@code body} is the whole body or, in lists and search hits, its first characters. */
record Note(UUID id, String title, String body, int bodyLength, Instant createdAt) {

    boolean truncated() {
        return body.codePointCount(0, body.length()) < bodyLength;
    }
}
