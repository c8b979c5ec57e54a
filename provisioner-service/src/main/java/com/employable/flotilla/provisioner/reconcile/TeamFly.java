package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.fly.FlyModel.App;
import com.employable.flotilla.provisioner.fly.FlyModel.CreateMachineRequest;
import com.employable.flotilla.provisioner.fly.FlyModel.ExecResult;
import com.employable.flotilla.provisioner.fly.FlyModel.IpAssignment;
import com.employable.flotilla.provisioner.fly.FlyModel.Lease;
import com.employable.flotilla.provisioner.fly.FlyModel.ListApp;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.fly.FlyModel.MachineConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Fly operations a team's reconcile uses, one per endpoint, with the Fly client's semantics (a missing app reads
 * empty, deleting something gone is done, failures are {@code FlyApiException}s).
 */
public interface TeamFly {

    Optional<App> app(String app);

    /** The organization's apps (with their networks where Fly's list gives them). */
    List<ListApp> apps();

    void createApp(String app, String network);

    void deleteApp(String app);

    void setSecrets(String app, Map<String, String> values);

    List<IpAssignment> ips(String app);

    void assignIp(String app, String type, String network);

    List<Machine> machines(String app);

    /** Machines whose metadata holds every given entry (how a create key is looked up). */
    List<Machine> machines(String app, Map<String, String> metadata);

    Machine createMachine(String app, CreateMachineRequest request);

    void updateMachine(String app, String machineId, MachineConfig config, boolean skipLaunch, String nonce);

    void start(String app, String machineId, String nonce);

    void stop(String app, String machineId, String nonce);

    void suspend(String app, String machineId, String nonce);

    void restart(String app, String machineId, String nonce);

    void destroy(String app, String machineId, String nonce);

    /** One wait on Fly's side, at most {@code timeout}: whether the machine reached the state (or one of a,b). */
    boolean waitFor(String app, String machineId, String state, Duration timeout);

    /** Runs a command in a started machine; Fly answers even when the command failed (see the exit code). */
    ExecResult exec(String app, String machineId, List<String> command, Duration timeout);

    /** Runs a command in a started machine with {@code stdin} on its standard input (never in its arguments). */
    ExecResult exec(String app, String machineId, List<String> command, String stdin, Duration timeout);

    /** Sets one metadata key of a machine, without restarting it. */
    void setMetadata(String app, String machineId, String key, String value);

    Lease acquireLease(String app, String machineId, Duration ttl, String description);

    void releaseLease(String app, String machineId, String nonce);
}
