package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.fly.FlyApps;
import com.employable.flotilla.provisioner.fly.FlyIps;
import com.employable.flotilla.provisioner.fly.FlyMachines;
import com.employable.flotilla.provisioner.fly.FlyModel.App;
import com.employable.flotilla.provisioner.fly.FlyModel.CreateMachineRequest;
import com.employable.flotilla.provisioner.fly.FlyModel.ExecResult;
import com.employable.flotilla.provisioner.fly.FlyModel.IpAssignment;
import com.employable.flotilla.provisioner.fly.FlyModel.Lease;
import com.employable.flotilla.provisioner.fly.FlyModel.ListApp;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.fly.FlyModel.MachineConfig;
import com.employable.flotilla.provisioner.fly.FlySecrets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** {@link TeamFly} over the Fly Machines API clients. */
@Component
class FlyClients implements TeamFly {

    private final FlyApps apps;
    private final FlyMachines machines;
    private final FlySecrets secrets;
    private final FlyIps ips;

    FlyClients(FlyApps apps, FlyMachines machines, FlySecrets secrets, FlyIps ips) {
        this.apps = apps;
        this.machines = machines;
        this.secrets = secrets;
        this.ips = ips;
    }

    @Override
    public Optional<App> app(String app) {
        return apps.get(app);
    }

    @Override
    public List<ListApp> apps() {
        return apps.list().apps();
    }

    @Override
    public void createApp(String app, String network) {
        apps.create(app, network);
    }

    @Override
    public void deleteApp(String app) {
        apps.delete(app);
    }

    @Override
    public void setSecrets(String app, Map<String, String> values) {
        secrets.set(app, values);
    }

    @Override
    public List<IpAssignment> ips(String app) {
        return ips.list(app);
    }

    @Override
    public void assignIp(String app, String type, String network) {
        ips.assign(app, type, network);
    }

    @Override
    public List<Machine> machines(String app) {
        return machines.list(app);
    }

    @Override
    public List<Machine> machines(String app, Map<String, String> metadata) {
        return machines.list(app, metadata);
    }

    @Override
    public Machine createMachine(String app, CreateMachineRequest request) {
        return machines.create(app, request);
    }

    @Override
    public void updateMachine(String app, String machineId, MachineConfig config, boolean skipLaunch, String nonce) {
        machines.update(app, machineId, config, skipLaunch, nonce);
    }

    @Override
    public void start(String app, String machineId, String nonce) {
        machines.start(app, machineId, nonce);
    }

    @Override
    public void stop(String app, String machineId, String nonce) {
        machines.stop(app, machineId, nonce);
    }

    @Override
    public void suspend(String app, String machineId, String nonce) {
        machines.suspend(app, machineId, nonce);
    }

    @Override
    public void restart(String app, String machineId, String nonce) {
        machines.restart(app, machineId, nonce);
    }

    @Override
    public void destroy(String app, String machineId, String nonce) {
        machines.destroy(app, machineId, nonce);
    }

    @Override
    public boolean waitFor(String app, String machineId, String state, Duration timeout) {
        return machines.waitFor(app, machineId, state, timeout).isPresent();
    }

    @Override
    public ExecResult exec(String app, String machineId, List<String> command, Duration timeout) {
        return machines.exec(app, machineId, command, timeout);
    }

    @Override
    public ExecResult exec(String app, String machineId, List<String> command, String stdin, Duration timeout) {
        return machines.exec(app, machineId, command, stdin, timeout);
    }

    @Override
    public void setMetadata(String app, String machineId, String key, String value) {
        machines.setMetadata(app, machineId, key, value);
    }

    @Override
    public Lease acquireLease(String app, String machineId, Duration ttl, String description) {
        return machines.acquireLease(app, machineId, ttl, description);
    }

    @Override
    public void releaseLease(String app, String machineId, String nonce) {
        machines.releaseLease(app, machineId, nonce);
    }
}
