package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.fly.FlyApiException;
import com.employable.flotilla.provisioner.fly.FlyModel.App;
import com.employable.flotilla.provisioner.fly.FlyModel.CreateMachineRequest;
import com.employable.flotilla.provisioner.fly.FlyModel.ExecResult;
import com.employable.flotilla.provisioner.fly.FlyModel.IpAssignment;
import com.employable.flotilla.provisioner.fly.FlyModel.Lease;
import com.employable.flotilla.provisioner.fly.FlyModel.ListApp;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.fly.FlyModel.MachineConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;

/**
 * An in-memory Fly for the reconcile's unit tests: apps, secrets, IP assignments and machines, every call logged as
 * {@code METHOD what [id]}, with the faults the reconcile must survive (a failure queued for a call, an answer lost
 * after the machine was made, regions without capacity, a lease held by someone else, machines that start slowly).
 */
public final class FakeFly implements TeamFly {

    public final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    public final Map<String, App> apps = new HashMap<>();
    public final Map<String, Map<String, String>> secrets = new HashMap<>();
    public final Map<String, List<IpAssignment>> ips = new HashMap<>();
    public final Map<String, Map<String, Machine>> machines = new HashMap<>();
    public final Set<String> fullRegions = new HashSet<>();
    final Set<String> leasedBySomeoneElse = new HashSet<>();
    /** Machines whose exec'd command fails (exit 1): a team server that does not answer. */
    public final Set<String> execFails = new HashSet<>();

    /** What each machine's last exec read on its standard input (a claim's identity file). */
    public final Map<String, String> stdinOf = new HashMap<>();

    private final Map<String, Queue<FlyApiException>> failures = new HashMap<>();
    private boolean loseNextCreateAnswer;
    private boolean startSlowly;
    private boolean hideAppOnce;
    private int nextId = 1;
    Runnable onCall = () -> {};

    /** The next call named {@code call} (as logged, without its id) fails with this status. */
    public FakeFly failNext(String call, int status, String flyStatus) {
        return failNext(call, status, flyStatus, "injected");
    }

    /** The next call named {@code call} fails with this status and Fly's message. */
    public FakeFly failNext(String call, int status, String flyStatus, String message) {
        failures.computeIfAbsent(call, key -> new ArrayDeque<>())
                .add(new FlyApiException(call, status, flyStatus, message, null));
        return this;
    }

    /** The next machine create makes the machine but its answer is lost (408). */
    public FakeFly loseNextCreateAnswer() {
        loseNextCreateAnswer = true;
        return this;
    }

    /** New and started machines stay {@code starting}: waits for {@code started} time out. */
    public FakeFly startSlowly() {
        startSlowly = true;
        return this;
    }

    /** The next read of the app misses it (as a read racing the create would): the create answers name_taken. */
    public FakeFly hideAppOnce() {
        hideAppOnce = true;
        return this;
    }

    public FakeFly withApp(String app, String network) {
        apps.put(app, new App(app, app, "deployed", network, null, 0));
        return this;
    }

    public Machine put(String app, String state, String region, Map<String, String> metadata) {
        String id = "m" + nextId++;
        Machine machine = new Machine(
                id,
                id,
                state,
                region,
                null,
                null,
                new MachineConfig("image", null, Map.of(), List.of(), Map.of(), metadata, null, false),
                null,
                null,
                ReconcileHarness.NOW.toString(),
                null,
                null);
        machines.computeIfAbsent(app, key -> new LinkedHashMap<>()).put(id, machine);
        return machine;
    }

    public List<Machine> machinesOf(String app) {
        return List.copyOf(machines.getOrDefault(app, Map.of()).values());
    }

    public List<String> mutations() {
        return calls.stream().filter(call -> !call.startsWith("GET")).toList();
    }

    /** The process "dies" at the n-th call from now: that call and every later one throw {@link Crash}. */
    public FakeFly crashAt(int call) {
        crashAt = calls.size() + call;
        return this;
    }

    /** After a restart, calls go through again. */
    public FakeFly restarted() {
        crashAt = Integer.MAX_VALUE;
        return this;
    }

    /** What a kill -9 is to the code under test: nothing after it runs, no catch or finally does Fly work. */
    public static final class Crash extends Error {
        Crash() {
            super("crashed", null, false, false);
        }
    }

    private int crashAt = Integer.MAX_VALUE;

    private void call(String call, String id) {
        if (calls.size() + 1 >= crashAt) {
            throw new Crash();
        }
        calls.add(id == null ? call : call + " " + id);
        onCall.run();
        FlyApiException failure =
                Optional.ofNullable(failures.get(call)).map(Queue::poll).orElse(null);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public Optional<App> app(String app) {
        call("GET app", null);
        if (hideAppOnce) {
            hideAppOnce = false;
            return Optional.empty();
        }
        return Optional.ofNullable(apps.get(app));
    }

    @Override
    public List<ListApp> apps() {
        call("GET apps", null);
        return apps.values().stream()
                .map(app -> new ListApp(app.id(), app.name(), 0, app.network()))
                .toList();
    }

    @Override
    public void createApp(String app, String network) {
        call("POST app", null);
        if (apps.containsKey(app)) {
            throw new FlyApiException("apps.create", 422, "name_taken", "name taken", null);
        }
        withApp(app, network);
    }

    @Override
    public void deleteApp(String app) {
        call("DELETE app", null);
        apps.remove(app);
        machines.remove(app);
        secrets.remove(app);
        ips.remove(app);
    }

    @Override
    public void setSecrets(String app, Map<String, String> values) {
        call("POST secrets", null);
        var current = secrets.computeIfAbsent(app, key -> new HashMap<>());
        values.forEach((name, value) -> {
            if (value == null) {
                current.remove(name);
            } else {
                current.put(name, value);
            }
        });
    }

    @Override
    public List<IpAssignment> ips(String app) {
        call("GET ips", null);
        return List.copyOf(ips.getOrDefault(app, List.of()));
    }

    @Override
    public void assignIp(String app, String type, String network) {
        call("POST ip", type);
        String address = "private_v6".equals(type) ? "fdaa::1" : "v6".equals(type) ? "2a09::1" : "1.2.3.4";
        ips.computeIfAbsent(app, key -> new ArrayList<>())
                .add(new IpAssignment(address, null, "shared_v4".equals(type), null, type));
    }

    @Override
    public List<Machine> machines(String app) {
        call("GET machines", null);
        return machinesOf(app);
    }

    @Override
    public List<Machine> machines(String app, Map<String, String> metadata) {
        call("GET machines by", String.join(",", metadata.values()));
        return machinesOf(app).stream()
                .filter(machine -> machine.metadata().entrySet().containsAll(metadata.entrySet()))
                .toList();
    }

    @Override
    public Machine createMachine(String app, CreateMachineRequest request) {
        call("POST machine", request.region());
        if (fullRegions.contains(request.region())) {
            throw new FlyApiException("machines.create", 412, "insufficient_capacity", "no capacity", null);
        }
        String state = Boolean.TRUE.equals(request.skipLaunch()) ? "created" : startSlowly ? "starting" : "started";
        Machine created = put(app, state, request.region(), request.config().metadata());
        created = new Machine(
                created.id(),
                created.name(),
                state,
                request.region(),
                null,
                null,
                request.config(),
                null,
                null,
                ReconcileHarness.NOW.toString(),
                null,
                null);
        machines.get(app).put(created.id(), created);
        if (loseNextCreateAnswer) {
            loseNextCreateAnswer = false;
            throw new FlyApiException("machines.create", 408, null, "request timed out", null);
        }
        return created;
    }

    @Override
    public void updateMachine(String app, String machineId, MachineConfig config, boolean skipLaunch, String nonce) {
        call("POST update", machineId);
        Machine machine = machines.get(app).get(machineId);
        String state = skipLaunch ? machine.state() : startSlowly ? "starting" : "started";
        machines.get(app)
                .put(
                        machineId,
                        withState(
                                new Machine(
                                        machine.id(),
                                        machine.name(),
                                        machine.state(),
                                        machine.region(),
                                        null,
                                        null,
                                        config,
                                        null,
                                        null,
                                        machine.updatedAt(),
                                        null,
                                        null),
                                state));
    }

    @Override
    public void start(String app, String machineId, String nonce) {
        call("POST start", machineId);
        setState(app, machineId, startSlowly ? "starting" : "started");
    }

    @Override
    public void stop(String app, String machineId, String nonce) {
        call("POST stop", machineId);
        setState(app, machineId, "stopped");
    }

    @Override
    public void suspend(String app, String machineId, String nonce) {
        call("POST suspend", machineId);
        Machine machine = machines.getOrDefault(app, Map.of()).get(machineId);
        if (machine == null || !"started".equals(machine.state())) {
            // as Fly and local-fly answer: only a started machine can be suspended
            throw new FlyApiException(
                    "machines.suspend",
                    412,
                    null,
                    "unable to suspend machine from current state: '" + (machine == null ? "" : machine.state()) + "'",
                    null);
        }
        setState(app, machineId, "suspended");
    }

    @Override
    public void restart(String app, String machineId, String nonce) {
        call("POST restart", machineId);
        setState(app, machineId, "started");
    }

    @Override
    public void destroy(String app, String machineId, String nonce) {
        call("DELETE machine", machineId);
        machines.getOrDefault(app, new HashMap<>()).remove(machineId);
    }

    @Override
    public boolean waitFor(String app, String machineId, String state, Duration timeout) {
        call("GET wait", machineId + " " + state);
        Machine machine = machines.getOrDefault(app, Map.of()).get(machineId);
        return machine != null && Arrays.asList(state.split(",")).contains(machine.state());
    }

    @Override
    public ExecResult exec(String app, String machineId, List<String> command, Duration timeout) {
        call("POST exec", machineId);
        Machine machine = machines.getOrDefault(app, Map.of()).get(machineId);
        if (machine == null || !"started".equals(machine.state())) {
            throw new FlyApiException("machines.exec", 412, null, "machine not started", null);
        }
        return new ExecResult(execFails.contains(machineId) ? 1 : 0, null, "", "");
    }

    @Override
    public ExecResult exec(String app, String machineId, List<String> command, String stdin, Duration timeout) {
        ExecResult result = exec(app, machineId, command, timeout);
        if (result.succeeded()) {
            stdinOf.put(machineId, stdin);
        }
        return result;
    }

    @Override
    public void setMetadata(String app, String machineId, String key, String value) {
        call("POST metadata", machineId + " " + key);
        Machine machine = machines.get(app).get(machineId);
        var metadata = new java.util.TreeMap<String, String>(machine.metadata());
        metadata.put(key, value);
        MachineConfig config = machine.config();
        machines.get(app)
                .put(
                        machineId,
                        new Machine(
                                machine.id(),
                                machine.name(),
                                machine.state(),
                                machine.region(),
                                machine.instanceId(),
                                machine.privateIp(),
                                new MachineConfig(
                                        config.image(),
                                        config.guest(),
                                        config.env(),
                                        config.services(),
                                        config.checks(),
                                        metadata,
                                        config.restart(),
                                        config.autoDestroy()),
                                machine.imageRef(),
                                machine.createdAt(),
                                machine.updatedAt(),
                                machine.events(),
                                machine.nonce()));
    }

    @Override
    public Lease acquireLease(String app, String machineId, Duration ttl, String description) {
        call("POST lease", machineId);
        if (leasedBySomeoneElse.contains(machineId)) {
            throw new FlyApiException("machines.lease", 409, null, "lease held", null);
        }
        return new Lease("nonce-" + machineId, null, null, description, null);
    }

    @Override
    public void releaseLease(String app, String machineId, String nonce) {
        call("DELETE lease", machineId);
    }

    public void setState(String app, String machineId, String state) {
        machines.get(app).computeIfPresent(machineId, (id, machine) -> withState(machine, state));
    }

    private static Machine withState(Machine machine, String state) {
        return new Machine(
                machine.id(),
                machine.name(),
                state,
                machine.region(),
                null,
                null,
                machine.config(),
                null,
                null,
                machine.updatedAt(),
                null,
                null);
    }
}
