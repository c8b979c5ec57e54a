package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.team.Team;
import com.employable.flotilla.provisioner.team.TeamStatus;
import java.util.List;
import java.util.Optional;

/**
 * Where reconciles read a team and record how they ended. Every write is fenced by the revision the reconcile read:
 * a team whose desired state moved on meanwhile keeps its row as the newer event left it.
 */
interface TeamStore {

    Optional<Team> find(String teamId);

    /** Status of a reconcile still on its way. */
    void progressed(Team team, TeamStatus status);

    /** Fly matches the team's revision: record the machines seen, the status, and announce what was asked for. */
    void converged(Team team, TeamStatus status, List<Machine> machines, String region);

    /** The app is gone: every machine it had is destroyed; announce the deprovisioning. */
    void deprovisioned(Team team, TeamStatus status);

    /** Record and publish the failure ({@code server.provisioning-failed}). */
    void failed(Team team, TeamStatus status, String stage, String error, boolean retryable);
}
