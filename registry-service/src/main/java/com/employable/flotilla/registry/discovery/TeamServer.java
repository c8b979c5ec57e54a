package com.employable.flotilla.registry.discovery;

import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthEvent;
import com.employable.flotilla.common.events.server.Endpoint;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.events.server.ProvisionedMachine;
import com.employable.flotilla.common.events.server.ServerDeprovisioned;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.common.events.server.ServerProvisioningFailed;
import com.employable.flotilla.common.events.server.ServerResumed;
import com.employable.flotilla.common.events.server.ServerSuspended;
import com.employable.flotilla.common.events.server.ServerUpdated;
import com.employable.flotilla.common.teams.TeamAddresses;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * What the registry knows about one team's server. Every field is a register that only moves forward (the newest
 * server outcome by {@link OrderKey}, the newest deployment, the newest deprovisioning, each machine's newest state and
 * verdict by observation time), and {@link #view} is a pure function of them: the same events in any order, any
 * number of times, give the same view. That is what lets the registry rebuild its table from the topics.
 *
 * @param teamId the team
 * @param lifecycleSeen whether any provisioner event was seen; health verdicts alone never make a team visible
 * @param phase the newest server-level outcome (provisioned, failed, suspended, resumed, deprovisioned)
 * @param deployment the newest provisioned or updated shape
 * @param deprovisioned the newest deprovisioning, which hides every older deployment
 * @param machines what is known per machine, by machine id
 */
public record TeamServer(
        String teamId,
        boolean lifecycleSeen,
        Phase phase,
        Deployment deployment,
        OrderKey deprovisioned,
        SortedMap<String, MachineRecord> machines) {

    public TeamServer {
        machines = Collections.unmodifiableSortedMap(new TreeMap<>(machines == null ? Map.of() : machines));
    }

    static TeamServer empty(String teamId) {
        return new TeamServer(teamId, false, null, null, null, new TreeMap<>());
    }

    /**
     * Applies a provisioner event.
     * @param ceTime the event's {@code ce_time}, used to order failures (which carry no time of their own)
     */
    Change apply(ServerLifecycleEvent event, Instant ceTime) {
        return switch (event) {
            case ServerProvisioned p ->
                deployed(
                        p.teamRevision(),
                        p.occurredAt(),
                        p.app(),
                        p.region(),
                        p.network(),
                        p.endpoint(),
                        p.image(),
                        p.machines());
            case ServerUpdated u ->
                deployed(
                        u.teamRevision(),
                        u.occurredAt(),
                        u.app(),
                        u.region(),
                        u.network(),
                        u.endpoint(),
                        u.image(),
                        u.machines());
            case ServerProvisioningFailed f ->
                phase(new Phase(
                        Phase.Kind.FAILED,
                        new OrderKey(f.teamRevision(), ceTime, OrderKey.FAILED, f.attempt()),
                        new Failure(f.stage(), f.error(), f.retryable(), f.attempt(), f.nextAttemptAt())));
            case ServerSuspended s ->
                phase(new Phase(
                        Phase.Kind.SUSPENDED,
                        new OrderKey(s.teamRevision(), s.occurredAt(), OrderKey.SUSPENDED, 0),
                        null));
            case ServerResumed r ->
                phase(new Phase(
                        Phase.Kind.RUNNING, new OrderKey(r.teamRevision(), r.occurredAt(), OrderKey.RESUMED, 0), null));
            case ServerDeprovisioned d ->
                deprovisioned(new OrderKey(d.teamRevision(), d.occurredAt(), OrderKey.DEPROVISIONED, 0));
            case MachineStateChanged m -> machineState(m);
        };
    }

    /** Applies a health verdict; a verdict older than the one held for that machine changes nothing. */
    Change apply(HealthEvent event) {
        return switch (event) {
            case HealthChanged h ->
                changeMachine(
                        h.machineId(),
                        machine -> machine.observeHealth(h.status(), h.checkedAt(), h.latencyMs(), h.failure()),
                        lifecycleSeen);
        };
    }

    /**
     * The team's entry as the registry publishes and serves it, or empty when the team has no visible server (never
     * provisioned by the provisioner's account, or deprovisioned).
     * @param defaultProtocolVersion the MCP protocol version to state when the provisioner did not name one
     * @param addresses derives the endpoint URLs from the app the provisioner reported (validated when applied): the
     * entry states those, never an event's URLs
     */
    public Optional<ServerView> view(String defaultProtocolVersion, TeamAddresses addresses) {
        if (!lifecycleSeen || (phase != null && phase.is(Phase.Kind.DEPROVISIONED))) {
            return Optional.empty();
        }
        boolean provisioned = isProvisioned();
        List<MachineRecord> listed = listedMachines();
        var status = StatusRules.status(phase, provisioned, listed);
        Endpoint endpoint = null;
        // the app was validated when its event was applied (DeclaredAddresses); every URL is derived from it
        String app = provisioned ? deployment.app() : null;
        if (provisioned) {
            Endpoint declared = deployment.endpoint();
            endpoint = new Endpoint(
                    addresses.endpointUrlOfApp(app),
                    addresses.privateEndpointUrlOfApp(app),
                    declared.transport(),
                    declared.protocolVersion() != null ? declared.protocolVersion() : defaultProtocolVersion);
        }
        List<ServerView.Machine> machineViews = listed.stream()
                .map(m -> new ServerView.Machine(
                        m.machineId(),
                        m.state(),
                        m.healthOrUnknown(),
                        m.stateAt(),
                        m.healthAt(),
                        m.latencyMs(),
                        m.probeFailure()))
                .toList();
        Failure failure = phase != null && phase.is(Phase.Kind.FAILED) ? phase.failure() : null;
        return Optional.of(new ServerView(
                teamId, status, app, provisioned ? deployment.region() : null, endpoint, machineViews, failure));
    }

    private boolean isProvisioned() {
        return deployment != null && deployment.key().supersedes(deprovisioned);
    }

    /**
     * The machines that make up the server now: not gone, with a known state, and either part of the newest
     * deployment or seen after it (a machine the provisioner added since). Older machines missing from the newest
     * deployment belonged to a previous shape.
     */
    private List<MachineRecord> listedMachines() {
        List<MachineRecord> listed = new ArrayList<>();
        for (MachineRecord machine : machines.values()) {
            if (machine.state() == null || StatusRules.isGone(machine.state())) {
                continue;
            }
            boolean current = deployment == null
                    || deployment.machineIds().contains(machine.machineId())
                    || machine.stateAt().isAfter(deployment.occurredAt());
            if (current) {
                listed.add(machine);
            }
        }
        return listed;
    }

    private Change deployed(
            long revision,
            Instant occurredAt,
            String app,
            String region,
            String network,
            Endpoint endpoint,
            String image,
            List<ProvisionedMachine> snapshot) {
        var key = new OrderKey(revision, occurredAt, OrderKey.DEPLOYED, 0);
        // the machines' states are observations at occurredAt whether or not this deployment is the newest
        TreeMap<String, MachineRecord> merged = new TreeMap<>(machines);
        for (ProvisionedMachine machine : snapshot) {
            merged.put(
                    machine.machineId(),
                    merged.getOrDefault(machine.machineId(), MachineRecord.unknown(machine.machineId()))
                            .observeState(machine.state(), occurredAt));
        }
        Deployment newest = deployment;
        if (key.supersedes(deployment == null ? null : deployment.key())) {
            newest = new Deployment(
                    key,
                    occurredAt,
                    app,
                    region,
                    network,
                    endpoint,
                    image,
                    snapshot.stream().map(ProvisionedMachine::machineId).toList());
        }
        Phase newestPhase =
                key.supersedes(phase == null ? null : phase.key()) ? new Phase(Phase.Kind.RUNNING, key, null) : phase;
        return changeTo(new TeamServer(teamId, true, newestPhase, newest, deprovisioned, merged));
    }

    private Change phase(Phase candidate) {
        Phase newest = candidate.key().supersedes(phase == null ? null : phase.key()) ? candidate : phase;
        return changeTo(new TeamServer(teamId, true, newest, deployment, deprovisioned, machines));
    }

    private Change deprovisioned(OrderKey key) {
        OrderKey newest = key.supersedes(deprovisioned) ? key : deprovisioned;
        Phase newestPhase = key.supersedes(phase == null ? null : phase.key())
                ? new Phase(Phase.Kind.DEPROVISIONED, key, null)
                : phase;
        return changeTo(new TeamServer(teamId, true, newestPhase, deployment, newest, machines));
    }

    private Change machineState(MachineStateChanged event) {
        return changeMachine(event.machineId(), machine -> machine.observeState(event.to(), event.at()), true);
    }

    private Change changeMachine(String machineId, UnaryOperator<MachineRecord> change, boolean seen) {
        TreeMap<String, MachineRecord> merged = new TreeMap<>(machines);
        merged.put(machineId, change.apply(merged.getOrDefault(machineId, MachineRecord.unknown(machineId))));
        return changeTo(new TeamServer(teamId, seen, phase, deployment, deprovisioned, merged));
    }

    private Change changeTo(TeamServer next) {
        return new Change(next, next.equals(this));
    }

    /**
     * The result of applying one event.
     * @param state the state after the event
     * @param stale whether the event changed nothing because newer knowledge was already held (or it was a repeat)
     */
    record Change(TeamServer state, boolean stale) {}
}
