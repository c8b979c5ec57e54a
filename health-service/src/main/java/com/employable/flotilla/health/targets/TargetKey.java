package com.employable.flotilla.health.targets;

import java.util.Objects;

/**
 * One probe target: a machine of a team's server. Health is decided per machine, because a team with two machines
 * can have one answering and one not, and the provisioner repairs machines, not teams.
 *
 * @param teamId the team (record key of the registry topic)
 * @param machineId the Fly machine id the probe is routed to
 */
public record TargetKey(String teamId, String machineId) implements Comparable<TargetKey> {

    public TargetKey {
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(machineId, "machineId");
    }

    @Override
    public int compareTo(TargetKey other) {
        int byTeam = teamId.compareTo(other.teamId);
        return byTeam != 0 ? byTeam : machineId.compareTo(other.machineId);
    }

    @Override
    public String toString() {
        return teamId + "/" + machineId;
    }
}
