package com.employable.flotilla.provisioner.team;

import java.util.Arrays;

/** Where a team's reconciliation stands; the wire value is what the {@code team.status} column and the API carry. */
public enum Phase {
    PENDING("pending"),
    READY("ready"),
    SUSPENDED("suspended"),
    FAILED("failed"),
    DELETING("deleting"),
    DELETED("deleted"),
    /** An update arrived before the team's create: nothing to build until the create brings name and region. */
    AWAITING_CREATE("awaiting-create");

    private final String wire;

    Phase(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Phase of(String wire) {
        return Arrays.stream(values())
                .filter(phase -> phase.wire.equals(wire))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown team phase '" + wire + "'"));
    }
}
