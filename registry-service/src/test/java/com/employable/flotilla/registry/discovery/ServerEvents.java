package com.employable.flotilla.registry.discovery;

import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.health.ProbeFailure;
import com.employable.flotilla.common.events.server.Endpoint;
import com.employable.flotilla.common.events.server.Guest;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.events.server.ProvisionedMachine;
import com.employable.flotilla.common.events.server.ServerDeprovisioned;
import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.common.events.server.ServerProvisioningFailed;
import com.employable.flotilla.common.events.server.ServerResumed;
import com.employable.flotilla.common.events.server.ServerSuspended;
import com.employable.flotilla.common.events.server.ServerUpdated;
import com.employable.flotilla.registry.support.TeamFront;
import java.time.Instant;
import java.util.List;

/**
 * Builds the provisioner's and health-service's events for one team, at minutes after a fixed start.
 *
 * @param teamId the team
 * @param serverApp the app its server runs in when that is not the team's own (a claimed warm-pool app), else null
 */
public record ServerEvents(String teamId, String serverApp) {

    public static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    public static final Guest GUEST = new Guest("shared", 1, 512);

    /** A team whose server runs in its own app, {@code flotilla-team-<team>} (a cold create). */
    public ServerEvents(String teamId) {
        this(teamId, null);
    }

    public static Instant at(int minute) {
        return T0.plusSeconds(60L * minute);
    }

    /** The same team with its server in another app, as the provisioner reports it (e.g. a claimed pool app). */
    public ServerEvents inApp(String app) {
        return new ServerEvents(teamId, app);
    }

    /** The app the team's server runs in: the pool app it claimed, or its own app as the test context derives it. */
    public String app() {
        return serverApp != null ? serverApp : TeamFront.addresses().appName(teamId);
    }

    /** The server's endpoint, as the test context derives it from the app. */
    public Endpoint endpoint() {
        var addresses = TeamFront.addresses();
        return new Endpoint(
                addresses.endpointUrlOfApp(app()),
                addresses.privateEndpointUrlOfApp(app()),
                Endpoint.STREAMABLE_HTTP,
                null);
    }

    public ServerProvisioned provisioned(long revision, int minute, String... machines) {
        return provisioned(revision, minute, endpoint(), machines);
    }

    public ServerProvisioned provisioned(long revision, int minute, Endpoint endpoint, String... machines) {
        return new ServerProvisioned(
                teamId,
                revision,
                app(),
                "fra",
                app(),
                endpoint,
                started(machines),
                "registry.fly.io/flotilla-team-mcp@sha256:abc",
                at(minute));
    }

    public ServerUpdated updated(long revision, int minute, String... machines) {
        return new ServerUpdated(
                teamId,
                revision,
                app(),
                "fra",
                app(),
                endpoint(),
                started(machines),
                "registry.fly.io/flotilla-team-mcp@sha256:def",
                at(minute));
    }

    public ServerProvisioningFailed failed(long revision, boolean retryable, int attempt) {
        return new ServerProvisioningFailed(
                teamId,
                revision,
                "create-machine",
                "insufficient_capacity in fra",
                retryable,
                attempt,
                retryable ? at(60) : null);
    }

    public ServerSuspended suspended(long revision, int minute) {
        return new ServerSuspended(teamId, revision, app(), at(minute));
    }

    public ServerResumed resumed(long revision, int minute) {
        return new ServerResumed(teamId, revision, app(), at(minute));
    }

    public ServerDeprovisioned deprovisioned(long revision, int minute) {
        return new ServerDeprovisioned(teamId, revision, app(), at(minute));
    }

    public MachineStateChanged machine(String machineId, String from, String to, int minute) {
        return new MachineStateChanged(teamId, app(), machineId, "fra", GUEST, 1, from, to, at(minute));
    }

    public HealthChanged health(String machineId, HealthStatus status, int minute) {
        return new HealthChanged(
                teamId,
                machineId,
                status,
                null,
                at(minute),
                status == HealthStatus.UNHEALTHY ? null : 40L,
                status == HealthStatus.UNHEALTHY ? new ProbeFailure(FailureKind.CONNECT, "connection refused") : null,
                status == HealthStatus.UNHEALTHY ? 3 : 0);
    }

    private static List<ProvisionedMachine> started(String... machines) {
        return java.util.Arrays.stream(machines)
                .map(id -> new ProvisionedMachine(id, "started", GUEST))
                .toList();
    }
}
