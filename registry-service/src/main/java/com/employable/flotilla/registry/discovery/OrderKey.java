package com.employable.flotilla.registry.discovery;

import java.time.Instant;
import java.util.Comparator;

/**
 * Where a server event sits in a team's history, so that the newest one wins whatever order events arrive in: first
 * the team revision employable assigned, then the provisioner's time for the event (within one revision there may be
 * several attempts and outcomes), then the kind of outcome and the attempt number as deterministic tie-breakers.
 *
 * @param revision the team revision the event is about
 * @param time the event's own time ({@code occurredAt}, or {@code ce_time} for events without one); may be null
 * @param rank how final the outcome is within one instant: failure &lt; provisioned &lt; resumed &lt; suspended &lt;
 * deprovisioned
 * @param attempt the provisioning attempt, for failures; 0 otherwise
 */
record OrderKey(long revision, Instant time, int rank, int attempt) implements Comparable<OrderKey> {

    static final int FAILED = 0;

    static final int DEPLOYED = 1;

    static final int RESUMED = 2;

    static final int SUSPENDED = 3;

    static final int DEPROVISIONED = 4;

    private static final Comparator<OrderKey> ORDER = Comparator.comparingLong(OrderKey::revision)
            .thenComparing(OrderKey::time, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(OrderKey::rank)
            .thenComparingInt(OrderKey::attempt);

    @Override
    public int compareTo(OrderKey other) {
        return ORDER.compare(this, other);
    }

    /** Whether this key supersedes {@code other}; everything supersedes nothing. */
    boolean supersedes(OrderKey other) {
        return other == null || compareTo(other) > 0;
    }
}
