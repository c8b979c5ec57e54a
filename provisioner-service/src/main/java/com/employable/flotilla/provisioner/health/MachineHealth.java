package com.employable.flotilla.provisioner.health;

import java.time.Instant;

/**
 * What health-service said of one machine, with the repairs already tried, as the reconcile observes it.
 *
 * @param unhealthySince    when the current unhealthy spell began
 * @param restartedAt       the restart of this spell, null when none was tried yet
 * @param repairsLastHour   repairs of this machine in the last hour (bounded per hour)
 */
public record MachineHealth(String machineId, Instant unhealthySince, Instant restartedAt, int repairsLastHour) {}
