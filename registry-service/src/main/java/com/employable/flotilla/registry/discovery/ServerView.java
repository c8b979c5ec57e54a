package com.employable.flotilla.registry.discovery;

import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.health.ProbeFailure;
import com.employable.flotilla.common.events.registry.RegistryEntry;
import com.employable.flotilla.common.events.registry.RegistryMachine;
import com.employable.flotilla.common.events.registry.ServerStatus;
import com.employable.flotilla.common.events.server.Endpoint;
import java.time.Instant;
import java.util.List;

/**
 * A team's row of the discovery table, as derived from what the registry knows (without its version and time, which
 * say when the registry last changed it).
 *
 * @param teamId the team
 * @param status whether the server is usable (see {@link StatusRules})
 * @param app the Fly app the team's server runs in, as the provisioner reported it (the team's own app or a claimed
 * warm-pool app, validated), once provisioned
 * @param region where its machines run, once provisioned
 * @param endpoint where it answers, once provisioned
 * @param machines its current machines, by id
 * @param failure why the latest provisioning attempt failed, while that is the latest outcome
 */
public record ServerView(
        String teamId,
        ServerStatus status,
        String app,
        String region,
        Endpoint endpoint,
        List<Machine> machines,
        Failure failure) {

    public ServerView {
        machines = List.copyOf(machines);
    }

    RegistryEntry toEntry(long version, Instant updatedAt) {
        return new RegistryEntry(
                teamId,
                status,
                version,
                endpoint,
                machines.stream()
                        .map(m -> new RegistryMachine(m.machineId(), m.state(), m.health()))
                        .toList(),
                region,
                updatedAt,
                app);
    }

    /**
     * @param machineId Fly machine id
     * @param state Fly state as last observed
     * @param health the health-service's latest verdict ({@code unknown} before the first probe)
     * @param stateChangedAt when the state was observed
     * @param healthCheckedAt when the deciding probe ran
     * @param probeLatencyMs how long the deciding probe took
     * @param probeFailure why the deciding probe failed
     */
    public record Machine(
            String machineId,
            String state,
            HealthStatus health,
            Instant stateChangedAt,
            Instant healthCheckedAt,
            Long probeLatencyMs,
            ProbeFailure probeFailure) {}
}
