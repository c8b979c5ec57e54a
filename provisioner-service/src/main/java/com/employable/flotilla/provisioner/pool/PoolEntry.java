package com.employable.flotilla.provisioner.pool;

import java.time.Instant;

/** One row of {@code pool_entry}: a pool app, where it is, what it runs and how far it got. */
record PoolEntry(
        String id,
        String appName,
        String region,
        String image,
        State state,
        String machineId,
        String teamId,
        Instant updatedAt) {

    enum State {
        CREATING,
        READY,
        CLAIMED,
        DISCARDING;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static State of(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
