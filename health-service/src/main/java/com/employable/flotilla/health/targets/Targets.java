package com.employable.flotilla.health.targets;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.registry.RegistryEntry;
import com.employable.flotilla.common.events.registry.RegistryEvent;
import com.employable.flotilla.common.events.registry.RegistryMachine;
import com.employable.flotilla.common.events.server.Endpoint;
import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.health.targets.RegisteredTeam.RegisteredMachine;
import com.employable.flotilla.health.targets.TargetListener.Reason;
import com.employable.flotilla.health.targets.TargetListener.Start;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probe targets, rebuilt from the compacted registry topic: the latest entry per team (highest version wins, a
 * tombstone removes the team) decides which machines are probed; where they are probed is derived from the team's
 * (validated) app and each machine's id. Only machines in a probed state ({@code started}) are probed: a stopped or
 * suspended machine is never contacted, so a probe can neither wake it nor see it asleep and call it unhealthy.
 * Applying an entry twice changes nothing, which is why this consumer needs no applied-event bookkeeping: the topic is
 * replayed from the beginning on every assignment anyway.
 */
public class Targets {

    private static final Logger log = LoggerFactory.getLogger(Targets.class);

    private final Map<String, RegisteredTeam> teams = new ConcurrentHashMap<>();

    private final TargetsProperties properties;

    private final TeamEndpoints endpoints;

    private final TargetListener listener;

    /** The default Fly Machines API, where {@code fly-checks} mode reads machines when nothing else is configured. */
    public static final URI FLY_API = URI.create("https://api.machines.dev");

    public Targets(TargetsProperties properties, TeamAddresses addresses, TargetListener listener) {
        this(properties, addresses, FLY_API, listener);
    }

    /** @param flyApiUrl the Fly Machines API, where {@code fly-checks} mode reads each machine's check */
    public Targets(TargetsProperties properties, TeamAddresses addresses, URI flyApiUrl, TargetListener listener) {
        this.properties = properties;
        this.endpoints = new TeamEndpoints(addresses, properties.address(), flyApiUrl);
        this.listener = listener;
    }

    /**
     * Applies one record of the registry topic.
     *
     * @throws InvalidEventException when the entry names an app that is not the team's, publishes an endpoint that is
     * not its app's derived address, or lists a machine id that is none; the entry is then not applied at all (the
     * team keeps what it had), and the record is dead-lettered with the reason
     */
    public synchronized void apply(int partition, EventEnvelope<RegistryEvent> event) {
        if (event.isTombstone()) {
            RegisteredTeam gone = teams.remove(event.teamId());
            if (gone != null) {
                gone.machines()
                        .forEach(m -> listener.untrack(new TargetKey(gone.teamId(), m.machineId()), Reason.GONE));
                log.info(
                        "Team {} left the registry: {} machine(s) no longer probed",
                        gone.teamId(),
                        gone.machines().size());
            }
            return;
        }
        if (!(event.data() instanceof RegistryEntry entry)) {
            return;
        }
        String app = endpoints.requireOwn(entry);
        RegisteredTeam before = teams.get(entry.teamId());
        if (before != null && entry.version() <= before.version()) {
            log.debug(
                    "Ignoring registry entry {} v{}: v{} is already applied",
                    entry.teamId(),
                    entry.version(),
                    before.version());
            return;
        }
        RegisteredTeam after = registered(partition, app, entry);
        teams.put(after.teamId(), after);
        if (before != null) {
            for (RegisteredMachine old : before.machines()) {
                if (after.machine(old.machineId()).isEmpty()) {
                    listener.untrack(new TargetKey(after.teamId(), old.machineId()), Reason.GONE);
                }
            }
        }
        for (RegisteredMachine machine : after.machines()) {
            if (machine.probed()) {
                listener.track(machine.target(), start(before, entry, machine.machineId()));
            } else {
                listener.untrack(new TargetKey(after.teamId(), machine.machineId()), Reason.NOT_PROBED);
            }
        }
    }

    /** Forgets the teams of registry partitions this instance no longer owns (another instance probes them now). */
    public synchronized void release(Collection<Integer> partitions) {
        Set<Integer> released = Set.copyOf(partitions);
        List<RegisteredTeam> leaving = new ArrayList<>();
        for (RegisteredTeam team : teams.values()) {
            if (released.contains(team.partition())) {
                leaving.add(team);
            }
        }
        for (RegisteredTeam team : leaving) {
            teams.remove(team.teamId());
            team.machines()
                    .forEach(m -> listener.untrack(new TargetKey(team.teamId(), m.machineId()), Reason.RELEASED));
        }
        if (!leaving.isEmpty()) {
            log.info("Released registry partitions {}: {} team(s) no longer probed here", released, leaving.size());
        }
    }

    public Optional<RegisteredTeam> team(String teamId) {
        return Optional.ofNullable(teams.get(teamId));
    }

    public Collection<RegisteredTeam> teams() {
        return List.copyOf(teams.values());
    }

    /**
     * A machine is probed at once when it has just become probe-able: it was not probed under the team's previous
     * entry (a new machine, a wake, a resumed team), or the team is new here and nobody has judged the machine yet (a
     * registration). A team this instance only now reads (a start, a rebalance) is probed at its slots instead.
     */
    private static Start start(RegisteredTeam before, RegistryEntry entry, String machineId) {
        if (before != null) {
            boolean wasProbed =
                    before.machine(machineId).map(RegisteredMachine::probed).orElse(false);
            return wasProbed ? Start.ON_SCHEDULE : Start.NOW;
        }
        boolean neverJudged = entry.machines().stream()
                .anyMatch(m -> m.machineId().equals(machineId) && m.health() == HealthStatus.UNKNOWN);
        return neverJudged ? Start.NOW : Start.ON_SCHEDULE;
    }

    private RegisteredTeam registered(int partition, String app, RegistryEntry entry) {
        boolean teamSkipped = properties.skipStatuses().contains(entry.status());
        String unprobedEndpoint = unprobedBecause(entry.endpoint());
        if (!teamSkipped && unprobedEndpoint != null && !entry.machines().isEmpty()) {
            log.warn("Team {} (registry v{}) is not probed: {}", entry.teamId(), entry.version(), unprobedEndpoint);
        }
        List<RegisteredMachine> machines = new ArrayList<>();
        for (RegistryMachine machine : entry.machines()) {
            String notProbedBecause;
            if (teamSkipped) {
                notProbedBecause = "team is " + entry.status().name().toLowerCase(Locale.ROOT);
            } else if (!properties.machineStates().contains(machine.state())) {
                notProbedBecause = "machine is " + machine.state();
            } else {
                notProbedBecause = unprobedEndpoint;
            }
            ProbeTarget target = notProbedBecause == null
                    ? new ProbeTarget(
                            new TargetKey(entry.teamId(), machine.machineId()),
                            endpoints.probeUrl(app, machine.machineId()),
                            entry.version(),
                            endpoints.throughProxy(),
                            app)
                    : null;
            machines.add(new RegisteredMachine(machine.machineId(), machine.state(), target, notProbedBecause));
        }
        return new RegisteredTeam(entry.teamId(), app, partition, entry.status(), entry.version(), machines);
    }

    /** Why the team's server cannot be probed yet, or {@code null} when it can. */
    private static String unprobedBecause(Endpoint endpoint) {
        if (endpoint == null) {
            return "no endpoint published yet";
        }
        if (!Endpoint.STREAMABLE_HTTP.equals(endpoint.transport())) {
            return "transport '" + endpoint.transport() + "' is not probed (only streamable-http)";
        }
        return null;
    }
}
