package com.employable.flotilla.billing.metering;

import java.time.Instant;

/** One observed machine state, from {@code machine.state-changed}; {@code at} is whole seconds (Fly bills per second). */
public record StateChange(
        String eventId,
        String teamId,
        String machineId,
        String app,
        String region,
        String cpuKind,
        int cpus,
        int memoryMb,
        int rootfsGb,
        String state,
        Instant at) {}
