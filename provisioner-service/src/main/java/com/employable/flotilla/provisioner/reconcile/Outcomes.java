package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.Endpoint;
import com.employable.flotilla.common.events.server.Guest;
import com.employable.flotilla.common.events.server.ProvisionedMachine;
import com.employable.flotilla.common.events.server.ServerDeprovisioned;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.common.events.server.ServerProvisioningFailed;
import com.employable.flotilla.common.events.server.ServerResumed;
import com.employable.flotilla.common.events.server.ServerSuspended;
import com.employable.flotilla.common.events.server.ServerUpdated;
import com.employable.flotilla.common.outbox.Outbox;
import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.team.Announcement;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.Team;
import com.employable.flotilla.provisioner.team.TeamRepository;
import com.employable.flotilla.provisioner.team.TeamSpec;
import com.employable.flotilla.provisioner.team.TeamStatus;
import com.employable.flotilla.provisioner.team.WarmApps;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records the end of a reconcile and announces it, in one transaction through the outbox: an outcome is published
 * exactly when the team's row moves to converged for the revision that asked for it. If a newer event arrived
 * meanwhile, nothing is announced; the newer revision's reconcile will.
 */
@Component
class Outcomes implements TeamStore {

    static final String PROTOCOL_VERSION = "2025-11-25";

    private final TeamRepository teams;
    private final MachineObserver observer;
    private final Outbox outbox;
    private final TeamAddresses addresses;
    private final WarmApps warmApps;
    private final ProvisionerProperties properties;
    private final Clock clock;

    Outcomes(
            TeamRepository teams,
            MachineObserver observer,
            Outbox outbox,
            TeamAddresses addresses,
            WarmApps warmApps,
            ProvisionerProperties properties,
            Clock clock) {
        this.teams = teams;
        this.observer = observer;
        this.outbox = outbox;
        this.addresses = addresses;
        this.warmApps = warmApps;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Optional<Team> find(String teamId) {
        return teams.find(teamId);
    }

    @Override
    public void progressed(Team team, TeamStatus status) {
        teams.writeStatus(team.teamId(), team.spec().revision(), status, false);
    }

    @Override
    @Transactional
    public void converged(Team team, TeamStatus status, List<Machine> machines, String region) {
        TeamSpec spec = team.spec();
        observer.observe(spec.teamId(), spec.appName(), machines);
        // locked: two passes converging at once (a handover) announce once, the second finds it announced
        Optional<Team> current = teams.lock(spec.teamId());
        if (current.isEmpty() || !teams.writeStatus(spec.teamId(), spec.revision(), status, true)) {
            return;
        }
        Announcement announce = current.get().spec().announce();
        if (announce != null) {
            outbox.publish(Topics.SERVER_LIFECYCLE, announcement(spec, announce, machines, region));
        }
    }

    @Override
    @Transactional
    public void deprovisioned(Team team, TeamStatus status) {
        TeamSpec spec = team.spec();
        observer.allDestroyed(spec.teamId());
        // locked: two passes converging at once (a handover) announce once, the second finds it announced
        Optional<Team> current = teams.lock(spec.teamId());
        if (current.isEmpty() || !teams.writeStatus(spec.teamId(), spec.revision(), status, true)) {
            return;
        }
        // the claimed pool app was deleted with its team: its entry ends here, it never returns to the pool
        warmApps.released(spec.teamId(), spec.appName());
        if (current.get().spec().announce() == Announcement.DEPROVISIONED) {
            outbox.publish(
                    Topics.SERVER_LIFECYCLE,
                    new ServerDeprovisioned(spec.teamId(), spec.revision(), spec.appName(), clock.instant()));
        }
    }

    @Override
    @Transactional
    public void failed(Team team, TeamStatus status, String stage, String error, boolean retryable) {
        teams.writeStatus(team.teamId(), team.spec().revision(), status, false);
        outbox.publish(
                Topics.SERVER_LIFECYCLE,
                new ServerProvisioningFailed(
                        team.teamId(),
                        team.spec().revision(),
                        stage,
                        error,
                        retryable,
                        status.attempts(),
                        status.nextAttemptAt()));
    }

    private ServerLifecycleEvent announcement(
            TeamSpec spec, Announcement announce, List<Machine> machines, String region) {
        Instant now = clock.instant();
        String app = spec.appName();
        var endpoint = new Endpoint(
                // the app the team runs in: its own (cold) or the pool app it claimed
                addresses.endpointUrlOfApp(app),
                addresses.privateEndpointUrlOfApp(app),
                Endpoint.STREAMABLE_HTTP,
                PROTOCOL_VERSION);
        List<ProvisionedMachine> provisioned = machines.stream()
                .sorted(Comparator.comparing(Machine::id))
                .map(machine -> new ProvisionedMachine(machine.id(), machine.state(), guest(machine)))
                .toList();
        return switch (announce) {
            case PROVISIONED ->
                new ServerProvisioned(
                        spec.teamId(),
                        spec.revision(),
                        app,
                        region,
                        app,
                        endpoint,
                        provisioned,
                        properties.image(),
                        now);
            case UPDATED ->
                new ServerUpdated(
                        spec.teamId(),
                        spec.revision(),
                        app,
                        region,
                        app,
                        endpoint,
                        provisioned,
                        properties.image(),
                        now);
            case SUSPENDED -> new ServerSuspended(spec.teamId(), spec.revision(), app, now);
            case RESUMED -> new ServerResumed(spec.teamId(), spec.revision(), app, now);
            case DEPROVISIONED -> throw new IllegalStateException("a live team is never announced deprovisioned");
        };
    }

    private static Guest guest(Machine machine) {
        var guest = machine.config() == null ? null : machine.config().guest();
        return guest == null ? new Guest("shared", 1, 256) : new Guest(guest.cpuKind(), guest.cpus(), guest.memoryMb());
    }
}
