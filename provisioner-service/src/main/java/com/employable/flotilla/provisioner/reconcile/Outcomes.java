package com.employable.flotilla.provisioner.reconcile;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.Endpoint;
import com.employable.flotilla.common.events.server.Guest;
import com.employable.flotilla.common.events.server.ProvisionedMachine;
import com.employable.flotilla.common.events.server.ServerDeprovisioned;
import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.common.events.server.ServerProvisioningFailed;
import com.employable.flotilla.common.events.server.ServerResumed;
import com.employable.flotilla.common.events.server.ServerSuspended;
import com.employable.flotilla.common.events.server.ServerUpdated;
import com.employable.flotilla.common.outbox.Outbox;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.Team;
import com.employable.flotilla.provisioner.team.TeamRepository;

/**
 * Records the end of a reconcile and announces it, in one transaction through the outbox: an outcome is published
 * exactly when the team's row moves to converged for the revision that asked for it. If a newer event arrived
 * meanwhile, nothing is announced; the newer revision's reconcile will.
 */
@Component
public class Outcomes {

    static final String PROTOCOL_VERSION = "2025-11-25";

    private final TeamRepository teams;
    private final Outbox outbox;
    private final MachineSpec spec;
    private final ProvisionerProperties properties;
    private final Clock clock;

    Outcomes(TeamRepository teams, Outbox outbox, MachineSpec spec, ProvisionerProperties properties, Clock clock) {
        this.teams = teams;
        this.outbox = outbox;
        this.spec = spec;
        this.properties = properties;
        this.clock = clock;
    }

    @Transactional
    public void converged(Team team, List<Machine> machines, String region) {
        Team current = teams.find(team.teamId()).orElse(null);
        if (current == null || current.revision() != team.revision()) {
            return;
        }
        teams.converged(team.teamId(), team.revision(), team.suspended() ? "suspended" : "ready", region);
        String outcome = current.pendingOutcome();
        if (outcome == null) {
            return;
        }
        Instant now = clock.instant();
        String app = team.appName();
        var endpoint = new Endpoint(spec.endpointUrl(team.teamId()), spec.privateEndpointUrl(team.teamId()), Endpoint.STREAMABLE_HTTP,
                PROTOCOL_VERSION);
        List<ProvisionedMachine> provisioned = machines.stream()
                .sorted(Comparator.comparing(Machine::id))
                .map(machine -> new ProvisionedMachine(machine.id(), machine.state(), guest(machine)))
                .toList();
        switch (outcome) {
            case Team.PROVISIONED -> outbox.publish(Topics.SERVER_LIFECYCLE, new ServerProvisioned(team.teamId(),
                    team.revision(), app, region, app, endpoint, provisioned, properties.image(), now));
            case Team.UPDATED -> outbox.publish(Topics.SERVER_LIFECYCLE, new ServerUpdated(team.teamId(),
                    team.revision(), app, region, app, endpoint, provisioned, properties.image(), now));
            case Team.SUSPENDED -> outbox.publish(Topics.SERVER_LIFECYCLE,
                    new ServerSuspended(team.teamId(), team.revision(), app, now));
            case Team.RESUMED -> outbox.publish(Topics.SERVER_LIFECYCLE,
                    new ServerResumed(team.teamId(), team.revision(), app, now));
            default -> throw new IllegalStateException("unknown outcome " + outcome);
        }
    }

    @Transactional
    public void deprovisioned(Team team) {
        Team current = teams.find(team.teamId()).orElse(null);
        if (current == null || current.revision() != team.revision()) {
            return;
        }
        teams.converged(team.teamId(), team.revision(), "deleted", null);
        if (Team.DEPROVISIONED.equals(current.pendingOutcome())) {
            outbox.publish(Topics.SERVER_LIFECYCLE, new ServerDeprovisioned(team.teamId(), team.revision(),
                    team.appName(), clock.instant()));
        }
    }

    @Transactional
    public void failed(Team team, String stage, String error, boolean retryable, int attempt, Instant nextAttemptAt) {
        teams.failed(team.teamId(), team.revision(), stage, error, attempt, nextAttemptAt, !retryable);
        outbox.publish(Topics.SERVER_LIFECYCLE, new ServerProvisioningFailed(team.teamId(), team.revision(), stage,
                error, retryable, attempt, nextAttemptAt));
    }

    private static Guest guest(Machine machine) {
        var guest = machine.config() == null ? null : machine.config().guest();
        return guest == null ? new Guest("shared", 1, 256) : new Guest(guest.cpuKind(), guest.cpus(), guest.memoryMb());
    }
}
