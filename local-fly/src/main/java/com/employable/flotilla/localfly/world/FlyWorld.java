package com.employable.flotilla.localfly.world;

import com.employable.flotilla.localfly.apps.App;
import com.employable.flotilla.localfly.apps.Apps;
import com.employable.flotilla.localfly.capacity.Capacity;
import com.employable.flotilla.localfly.capacity.Regions;
import com.employable.flotilla.localfly.checks.MachineChecks;
import com.employable.flotilla.localfly.error.FlyError;
import com.employable.flotilla.localfly.ips.IpAssignments;
import com.employable.flotilla.localfly.leases.Lease;
import com.employable.flotilla.localfly.leases.Leases;
import com.employable.flotilla.localfly.machines.Machines;
import com.employable.flotilla.localfly.secrets.Secrets;
import java.time.Clock;
import java.util.Map;

/**
 * Everything local-fly knows, as separate resources with a lock each, and the few operations that span two of them.
 * No operation holds two resource locks except in this order, so none can deadlock:
 * <ol>
 *   <li>machines, then leases, apps or secrets' snapshot (a machine action checks its lease, a create finds its app,
 *   a boot reads the app's secrets);</li>
 *   <li>secrets, then apps; IPs, then apps (a write finds its app);</li>
 *   <li>apps, leases and capacity call nothing while locked (leaves).</li>
 * </ol>
 * Operations here take one resource lock after the other, never one inside the other.
 */
public final class FlyWorld {

    private final Apps apps;
    private final Secrets secrets;
    private final IpAssignments ips;
    private final Leases leases;
    private final Capacity capacity;
    private final Machines machines;
    private final Clock clock;
    private final MachineChecks checks;

    public FlyWorld(Clock clock, String defaultOrg, Map<String, Integer> capacity) {
        this(clock, defaultOrg, capacity, Regions.fly());
    }

    public FlyWorld(Clock clock, String defaultOrg, Map<String, Integer> capacity, Regions regions) {
        this.clock = clock;
        this.apps = new Apps(clock, defaultOrg);
        this.secrets = new Secrets(apps, clock);
        this.ips = new IpAssignments(apps, clock);
        this.leases = new Leases(clock);
        this.capacity = new Capacity(capacity);
        this.machines = new Machines(clock, apps, leases, secrets, this.capacity, regions);
        this.checks = new MachineChecks(machines, clock);
    }

    public Clock clock() {
        return clock;
    }

    public Apps apps() {
        return apps;
    }

    public Secrets secrets() {
        return secrets;
    }

    public IpAssignments ips() {
        return ips;
    }

    public Leases leases() {
        return leases;
    }

    public Capacity capacity() {
        return capacity;
    }

    public Machines machines() {
        return machines;
    }

    /** What flyd does with the machines' {@code config.checks} (started by local-fly, not by a bare world). */
    public MachineChecks checks() {
        return checks;
    }

    /** Cascades to machines (and their leases), secrets and IPs; 412 while machines run without force. */
    public void deleteApp(String name, boolean force) {
        App removed = machines.deleteApp(name, force);
        // a secrets or IP write racing this one either saw the app gone (404) or is dropped here after it
        secrets.drop(removed.id());
        ips.drop(removed.id());
    }

    /** A new lease, or a refresh when the caller presents the current nonce; 409 while another holder has it. */
    public Lease acquireLease(String appName, String machineId, String nonce, int ttl, String description) {
        Leases.requireTtl(ttl);
        machines.view(appName, machineId, false);
        Lease lease = leases.acquire(machineId, nonce, ttl, description);
        if (!isLive(appName, machineId)) {
            // destroyed between the check and the grant: leave no lease behind on a machine that is gone
            leases.drop(machineId);
            throw FlyError.notFound("machine " + machineId);
        }
        return lease;
    }

    public Lease lease(String appName, String machineId) {
        machines.view(appName, machineId, false);
        return leases.find(machineId).orElseThrow(() -> FlyError.notFound("lease"));
    }

    public void releaseLease(String appName, String machineId, String nonce) {
        machines.view(appName, machineId, false);
        leases.release(machineId, nonce);
    }

    private boolean isLive(String appName, String machineId) {
        return machines.find(machineId)
                .filter(machine -> machine.appName().equals(appName))
                .isPresent();
    }

    public void shutdown() {
        checks.close();
        machines.shutdown();
    }
}
