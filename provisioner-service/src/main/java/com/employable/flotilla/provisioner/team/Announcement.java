package com.employable.flotilla.provisioner.team;

import java.util.Arrays;

/** The outcome event a team's latest desired state asks for, published once when Fly matches it. */
public enum Announcement {
    PROVISIONED,
    UPDATED,
    SUSPENDED,
    RESUMED,
    DEPROVISIONED;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return null for null: nothing is waiting to be announced */
    public static Announcement of(String wire) {
        if (wire == null) {
            return null;
        }
        return Arrays.stream(values())
                .filter(value -> value.wire().equals(wire))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown announcement '" + wire + "'"));
    }
}
