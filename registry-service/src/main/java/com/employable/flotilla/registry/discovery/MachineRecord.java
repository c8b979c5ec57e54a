package com.employable.flotilla.registry.discovery;

import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.health.ProbeFailure;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * Everything known about one machine of a team: its Fly state and its health, each a last-writer-wins register keyed
 * by the time the provisioner or the health-service observed it. Merging takes the newer observation (ties broken
 * by a fixed order of values), so any delivery order of the same observations gives the same record.
 *
 * @param machineId Fly machine id
 * @param state Fly state as last observed, null when only health is known so far
 * @param stateAt when that state was observed
 * @param health latest verdict, null before the first probe
 * @param healthAt when the deciding probe ran
 * @param latencyMs how long the deciding probe took
 * @param probeFailure why the deciding probe failed
 */
public record MachineRecord(
        String machineId,
        String state,
        Instant stateAt,
        HealthStatus health,
        Instant healthAt,
        Long latencyMs,
        ProbeFailure probeFailure) {

    private static final Comparator<Instant> TIME = Comparator.nullsFirst(Comparator.naturalOrder());

    /** Newer probe first; for one instant the worse verdict, then the remaining fields, so ties resolve the same way. */
    private static final Comparator<MachineRecord> HEALTH_ORDER = Comparator.comparing(MachineRecord::healthAt, TIME)
            .thenComparing(MachineRecord::health, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(MachineRecord::latencyMs, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(record -> record.probeFailure() == null
                    ? ""
                    : record.probeFailure().kind() + ":" + record.probeFailure().detail());

    static MachineRecord unknown(String machineId) {
        return new MachineRecord(machineId, null, null, null, null, null, null);
    }

    MachineRecord observeState(String newState, Instant at) {
        int newer = TIME.compare(at, stateAt);
        if (newer < 0 || (newer == 0 && state != null && newState.compareTo(state) <= 0)) {
            return this;
        }
        return new MachineRecord(machineId, newState, at, health, healthAt, latencyMs, probeFailure);
    }

    MachineRecord observeHealth(HealthStatus verdict, Instant checkedAt, Long latency, ProbeFailure failure) {
        var candidate = new MachineRecord(machineId, state, stateAt, verdict, checkedAt, latency, failure);
        return health == null || HEALTH_ORDER.compare(candidate, this) > 0 ? candidate : this;
    }

    HealthStatus healthOrUnknown() {
        return Objects.requireNonNullElse(health, HealthStatus.UNKNOWN);
    }
}
