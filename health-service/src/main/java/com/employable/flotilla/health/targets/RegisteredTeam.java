package com.employable.flotilla.health.targets;

import com.employable.flotilla.common.events.registry.ServerStatus;
import java.util.List;
import java.util.Optional;

/**
 * A team as the registry last published it, with what this service makes of each machine.
 *
 * @param teamId the team
 * @param app the app the team's server runs in (validated: the team's own app or a warm-pool app)
 * @param partition the registry topic partition the team is on (this instance probes the partitions it is assigned)
 * @param status the registry's status for the team
 * @param version the registry entry version
 * @param machines the machines the registry lists
 */
public record RegisteredTeam(
        String teamId, String app, int partition, ServerStatus status, long version, List<RegisteredMachine> machines) {

    public RegisteredTeam {
        machines = List.copyOf(machines);
    }

    public Optional<RegisteredMachine> machine(String machineId) {
        return machines.stream().filter(m -> m.machineId().equals(machineId)).findFirst();
    }

    /**
     * A machine of a registered team.
     *
     * @param machineId the Fly machine id
     * @param state the machine state the registry reports
     * @param target what is probed, or {@code null} when the machine is not probed
     * @param notProbedBecause why the machine is not probed, or {@code null} when it is
     */
    public record RegisteredMachine(String machineId, String state, ProbeTarget target, String notProbedBecause) {

        public boolean probed() {
            return target != null;
        }
    }
}
