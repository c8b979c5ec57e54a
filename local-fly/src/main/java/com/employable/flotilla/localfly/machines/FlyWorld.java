package com.employable.flotilla.localfly.machines;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import com.employable.flotilla.localfly.api.FlyError;

/**
 * Everything local-fly knows: apps, machines, secrets, IPs, leases, capacity. One lock guards it all (a local
 * emulator serves at most thousands of machines; simplicity wins), and one condition wakes every waiter on any change.
 * The state machine follows Fly's documented diagram; the runtime only reports what its processes did.
 */
public final class FlyWorld {

    private static final Logger log = LoggerFactory.getLogger(FlyWorld.class);
    private static final Set<String> STARTABLE = Set.of("created", "stopped", "suspended", "failed");

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, App> apps = new TreeMap<>();
    private final Map<String, Machine> machines = new LinkedHashMap<>();
    private final Map<String, Machine> destroyed = new LinkedHashMap<>();
    private final Map<String, Integer> capacity = new TreeMap<>();
    private final AtomicInteger networkIds = new AtomicInteger(100);
    private final Clock clock;
    private final String defaultOrg;
    private MachineRuntime runtime;

    public FlyWorld(Clock clock, String defaultOrg, Map<String, Integer> capacity) {
        this.clock = clock;
        this.defaultOrg = defaultOrg;
        this.capacity.putAll(capacity);
    }

    public void runtime(MachineRuntime runtime) {
        this.runtime = runtime;
    }

    public String defaultOrg() {
        return defaultOrg;
    }

    // ---- apps ------------------------------------------------------------------------------------------------------

    public App createApp(String name, String org, String network) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{1,62}")) {
            throw new FlyError(400, "app name must be 2-63 characters of lowercase letters, digits and dashes");
        }
        lock.lock();
        try {
            if (apps.containsKey(name)) {
                throw new FlyError(422, "Name has already been taken", "name_taken");
            }
            String net = network == null || network.isBlank() ? "default" : network;
            int networkId = "default".equals(net) ? 1 : apps.values().stream()
                    .filter(app -> app.network.equals(net) && app.org.equals(orgOrDefault(org)))
                    .map(app -> app.networkId).findFirst().orElseGet(networkIds::incrementAndGet);
            App app = new App(Ids.hex(14), name, orgOrDefault(org), net, networkId, clock.instant());
            apps.put(name, app);
            changed.signalAll();
            return app;
        } finally {
            lock.unlock();
        }
    }

    private String orgOrDefault(String org) {
        return org == null || org.isBlank() ? defaultOrg : org;
    }

    public <T> T readApp(String name, java.util.function.Function<App, T> reader) {
        lock.lock();
        try {
            return reader.apply(app(name));
        } finally {
            lock.unlock();
        }
    }

    public <T> List<T> listApps(String org, java.util.function.Function<App, T> reader) {
        lock.lock();
        try {
            return apps.values().stream().filter(app -> org == null || app.org.equals(org)).map(reader).toList();
        } finally {
            lock.unlock();
        }
    }

    public int machineCount(App app) {
        return (int) machines.values().stream().filter(machine -> machine.appName.equals(app.name)).count();
    }

    /** Cascades to machines and IPs; without force, running machines refuse it as Fly asks to stop them first. */
    public void deleteApp(String name, boolean force) {
        lock.lock();
        try {
            App app = app(name);
            List<Machine> appMachines = machines.values().stream().filter(m -> m.appName.equals(name)).toList();
            if (!force && appMachines.stream().anyMatch(m -> !STARTABLE.contains(m.state))) {
                throw new FlyError(412, "app " + name + " has running machines; stop them or use force=true");
            }
            for (Machine machine : appMachines) {
                destroyNow(machine, "app deleted");
            }
            apps.remove(app.name);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    App app(String name) {
        App app = apps.get(name);
        if (app == null) {
            throw FlyError.notFound("app " + name);
        }
        return app;
    }

    // ---- secrets and IPs -------------------------------------------------------------------------------------------

    /** Sets (non-null) or unsets (null) values; one new version for the whole batch. */
    public long setSecrets(String appName, Map<String, String> values) {
        lock.lock();
        try {
            App app = app(appName);
            app.secretsVersion++;
            Instant now = clock.instant();
            values.forEach((name, value) -> {
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new FlyError(400, "invalid secret name " + name);
                }
                if (value == null) {
                    app.secrets.remove(name);
                } else {
                    App.Secret previous = app.secrets.get(name);
                    app.secrets.put(name, new App.Secret(name, value, digest(value), app.secretsVersion,
                            previous == null ? now : previous.createdAt(), now));
                }
            });
            changed.signalAll();
            return app.secretsVersion;
        } finally {
            lock.unlock();
        }
    }

    public void deleteSecret(String appName, String name) {
        lock.lock();
        try {
            App app = app(appName);
            if (app.secrets.remove(name) == null) {
                throw FlyError.notFound("secret " + name);
            }
            app.secretsVersion++;
        } finally {
            lock.unlock();
        }
    }

    public App.IpAssignment assignIp(String appName, String type, String network, String region) {
        lock.lock();
        try {
            App app = app(appName);
            String ip;
            boolean shared = false;
            switch (type == null ? "" : type) {
                case "private_v6" -> {
                    // Flycast lands in the network asked for; Fly does not default it to the app's
                    String net = network == null || network.isBlank() ? "default" : network;
                    int netId = "default".equals(net) ? 1 : apps.values().stream()
                            .filter(other -> other.network.equals(net)).map(other -> other.networkId).findFirst()
                            .orElse(app.networkId);
                    ip = String.format("fdaa:0:%x:0:1::%x", netId, app.ips.size() + 2);
                    network = net;
                }
                case "v6" -> ip = String.format("2a09:8280:1::%x:%x", app.networkId, app.ips.size() + 1);
                case "shared_v4" -> {
                    ip = "66.241.124." + (app.networkId % 250 + 1);
                    shared = true;
                }
                case "v4" -> ip = "137.66." + (app.networkId % 250) + "." + (app.ips.size() + 1);
                default -> throw new FlyError(400, "type must be one of v4, shared_v4, v6, private_v6");
            }
            var assignment = new App.IpAssignment(ip, type, region == null ? "global" : region, shared,
                    "private_v6".equals(type) ? network : null, clock.instant());
            app.ips.add(assignment);
            return assignment;
        } finally {
            lock.unlock();
        }
    }

    public void releaseIp(String appName, String ip) {
        lock.lock();
        try {
            if (!app(appName).ips.removeIf(assignment -> assignment.ip().equals(ip))) {
                throw FlyError.notFound("ip " + ip);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- machines ---------------------------------------------------------------------------------------------------

    public Machine createMachine(String appName, String name, String region, ObjectNode config, boolean skipLaunch,
                                 Integer leaseTtl) {
        lock.lock();
        try {
            App app = app(appName);
            if (config == null || !config.path("image").isString() || config.path("image").asString().isBlank()) {
                throw new FlyError(400, "config.image is required");
            }
            String placed = region == null || region.isBlank() ? "iad" : region.split(",")[0].trim();
            Integer limit = capacity.get(placed);
            if (limit != null) {
                long used = machines.values().stream().filter(m -> m.region.equals(placed)).count();
                if (used >= limit) {
                    throw new FlyError(412, "insufficient resources available to fulfill request: no capacity in "
                            + placed, "insufficient_capacity");
                }
            }
            String id = Ids.hex(14);
            String machineName = name == null || name.isBlank() ? "machine-" + id.substring(0, 6) : name;
            String privateIp = String.format("fdaa:0:%x:a7b:%s:%s::2", app.networkId, id.substring(0, 4),
                    id.substring(4, 8));
            Machine machine = new Machine(id, appName, machineName, placed, privateIp, config.deepCopy(),
                    clock.instant());
            event(machine, "launch", "created", "user");
            machines.put(id, machine);
            if (leaseTtl != null && leaseTtl > 0) {
                machine.lease = newLease(leaseTtl, "created with the machine");
            }
            if (!skipLaunch) {
                boot(machine);
            }
            changed.signalAll();
            return machine;
        } finally {
            lock.unlock();
        }
    }

    public <T> T readMachine(String appName, String id, boolean includeDestroyed, java.util.function.Function<Machine, T> reader) {
        lock.lock();
        try {
            return reader.apply(machine(appName, id, includeDestroyed));
        } finally {
            lock.unlock();
        }
    }

    public <T> List<T> listMachines(String appName, boolean includeDeleted, Predicate<Machine> filter,
                                    java.util.function.Function<Machine, T> reader) {
        lock.lock();
        try {
            app(appName);
            List<T> result = new ArrayList<>();
            Collection<Machine> pools = new ArrayList<>(machines.values());
            if (includeDeleted) {
                pools.addAll(destroyed.values());
            }
            for (Machine machine : pools) {
                if (machine.appName.equals(appName) && filter.test(machine)) {
                    result.add(reader.apply(machine));
                }
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    public List<Machine> startedMachines(String appName) {
        lock.lock();
        try {
            return machines.values().stream().filter(m -> m.appName.equals(appName) && "started".equals(m.state))
                    .toList();
        } finally {
            lock.unlock();
        }
    }

    public Machine updateMachine(String appName, String id, String nonce, String region, String name,
                                 ObjectNode config, boolean skipLaunch) {
        lock.lock();
        try {
            Machine machine = machine(appName, id, false);
            checkLease(machine, nonce);
            if (config == null || !config.path("image").isString()) {
                throw new FlyError(400, "a full config with an image is required (no partial updates)");
            }
            if (region != null && !region.isBlank() && !region.equals(machine.region)) {
                throw new FlyError(400, "region is immutable; create a new machine in " + region);
            }
            if (name != null && !name.isBlank() && !name.equals(machine.name)) {
                throw new FlyError(400, "name is immutable");
            }
            if (Set.of("destroying", "destroyed").contains(machine.state)) {
                throw new FlyError(412, "machine is being destroyed");
            }
            machine.config = config.deepCopy();
            machine.instanceId = Ids.ulid();
            event(machine, "update", "updating", "user");
            boolean running = "started".equals(machine.state) || "starting".equals(machine.state);
            if (running) {
                halt(machine, skipLaunch ? "stopped" : "restart", "updating");
            } else if (!skipLaunch) {
                boot(machine);
            } else if ("suspended".equals(machine.state) || "failed".equals(machine.state)) {
                transition(machine, "stopped");
            }
            changed.signalAll();
            return machine;
        } finally {
            lock.unlock();
        }
    }

    public String startMachine(String appName, String id, String nonce) {
        lock.lock();
        try {
            Machine machine = machine(appName, id, false);
            checkLease(machine, nonce);
            String previous = machine.state;
            if (!STARTABLE.contains(previous)) {
                throw new FlyError(412, "unable to start machine from current state: '" + previous + "'");
            }
            boot(machine);
            return previous;
        } finally {
            lock.unlock();
        }
    }

    public void stopMachine(String appName, String id, String nonce) {
        lock.lock();
        try {
            Machine machine = machine(appName, id, false);
            checkLease(machine, nonce);
            switch (machine.state) {
                case "started", "starting" -> halt(machine, "stopped", "stopping");
                // stopping a suspended machine discards its snapshot
                case "suspended" -> transition(machine, "stopped");
                default -> throw new FlyError(412, "unable to stop machine from current state: '" + machine.state
                        + "'");
            }
        } finally {
            lock.unlock();
        }
    }

    public void suspendMachine(String appName, String id, String nonce) {
        lock.lock();
        try {
            Machine machine = machine(appName, id, false);
            checkLease(machine, nonce);
            if (!"started".equals(machine.state)) {
                throw new FlyError(412, "unable to suspend machine from current state: '" + machine.state + "'");
            }
            halt(machine, "suspended", "suspending");
        } finally {
            lock.unlock();
        }
    }

    public void restartMachine(String appName, String id, String nonce) {
        lock.lock();
        try {
            Machine machine = machine(appName, id, false);
            checkLease(machine, nonce);
            if (!"started".equals(machine.state)) {
                throw new FlyError(412, "unable to restart machine from current state: '" + machine.state + "'");
            }
            halt(machine, "restart", "restarting");
        } finally {
            lock.unlock();
        }
    }

    public void destroyMachine(String appName, String id, String nonce, boolean force) {
        lock.lock();
        try {
            Machine machine = machine(appName, id, false);
            checkLease(machine, nonce);
            if (!force && !STARTABLE.contains(machine.state)) {
                throw new FlyError(412, "unable to destroy machine, not currently stopped, suspended or failed "
                        + "(state '" + machine.state + "'); use force=true");
            }
            destroyNow(machine, "destroyed by user");
        } finally {
            lock.unlock();
        }
    }

    private void destroyNow(Machine machine, String why) {
        if (machine.port != 0 || "started".equals(machine.state) || "starting".equals(machine.state)) {
            machine.haltRequested = true;
            runtime.halt(this, machine, ++machine.generation, Duration.ZERO);
        }
        transition(machine, "destroying");
        transition(machine, "destroyed");
        event(machine, "destroy", "destroyed", "user");
        machine.lease = null;
        machines.remove(machine.id);
        destroyed.put(machine.id, machine);
        log.debug("Machine {} of {} destroyed: {}", machine.id, machine.appName, why);
    }

    /**
     * Blocks until the machine is in one of the states, or answers Fly's 408. Fly bounds one wait to 1..60 s.
     */
    public String waitFor(String appName, String id, Set<String> states, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                Machine machine = machines.get(id);
                if (machine == null) {
                    machine = destroyed.get(id);
                }
                if (machine == null || !machine.appName.equals(appName)) {
                    throw FlyError.notFound("machine " + id);
                }
                if (states.contains(machine.state)) {
                    return machine.state;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new FlyError(408, "machine failed to reach desired state, " + String.join(",", states)
                            + ", currently " + machine.state);
                }
                changed.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlyError(408, "wait interrupted");
        } finally {
            lock.unlock();
        }
    }

    // ---- leases -----------------------------------------------------------------------------------------------------

    /** A new lease, or a refresh when the caller presents the current nonce; 409 while another holder has it. */
    public Machine.Lease acquireLease(String appName, String id, String nonce, int ttl, String description) {
        if (ttl < 1 || ttl > 86_400) {
            throw new FlyError(400, "ttl must be between 1 and 86400 seconds");
        }
        lock.lock();
        try {
            Machine machine = machine(appName, id, false);
            Machine.Lease current = activeLease(machine);
            if (current != null) {
                if (!current.nonce().equals(nonce)) {
                    throw new FlyError(409, "lease currently held by " + current.owner() + ", expires at "
                            + Instant.ofEpochSecond(current.expiresAt()));
                }
                machine.lease = new Machine.Lease(current.nonce(), clock.instant().getEpochSecond() + ttl,
                        current.owner(), description == null ? current.description() : description, Ids.ulid());
                return machine.lease;
            }
            machine.lease = newLease(ttl, description);
            return machine.lease;
        } finally {
            lock.unlock();
        }
    }

    public Machine.Lease lease(String appName, String id) {
        lock.lock();
        try {
            Machine.Lease lease = activeLease(machine(appName, id, false));
            if (lease == null) {
                throw FlyError.notFound("lease");
            }
            return lease;
        } finally {
            lock.unlock();
        }
    }

    public void releaseLease(String appName, String id, String nonce) {
        lock.lock();
        try {
            Machine machine = machine(appName, id, false);
            Machine.Lease lease = activeLease(machine);
            if (lease == null) {
                throw FlyError.notFound("lease");
            }
            if (!lease.nonce().equals(nonce)) {
                throw new FlyError(409, "lease nonce does not match");
            }
            machine.lease = null;
        } finally {
            lock.unlock();
        }
    }

    private Machine.Lease newLease(int ttl, String description) {
        return new Machine.Lease(Ids.hex(12), clock.instant().getEpochSecond() + ttl, "local-fly@localhost",
                description == null ? "" : description, Ids.ulid());
    }

    private Machine.Lease activeLease(Machine machine) {
        Machine.Lease lease = machine.lease;
        if (lease != null && lease.expiresAt() <= clock.instant().getEpochSecond()) {
            machine.lease = null;
            return null;
        }
        return lease;
    }

    private void checkLease(Machine machine, String nonce) {
        Machine.Lease lease = activeLease(machine);
        if (lease != null && !lease.nonce().equals(nonce)) {
            throw new FlyError(409, "machine " + machine.id + " is leased by " + lease.owner()
                    + "; send its nonce in fly-machine-lease-nonce");
        }
    }

    // ---- capacity ---------------------------------------------------------------------------------------------------

    public void capacity(String region, Integer machinesAllowed) {
        lock.lock();
        try {
            if (machinesAllowed == null) {
                capacity.remove(region);
            } else {
                capacity.put(region, machinesAllowed);
            }
        } finally {
            lock.unlock();
        }
    }

    public Map<String, Integer> capacity() {
        lock.lock();
        try {
            return Map.copyOf(capacity);
        } finally {
            lock.unlock();
        }
    }

    // ---- runtime callbacks ------------------------------------------------------------------------------------------

    /** The machine's process serves (or the simulated boot finished). */
    public void booted(String id, long generation, int port) {
        lock.lock();
        try {
            Machine machine = machines.get(id);
            if (machine == null || machine.generation != generation || !"starting".equals(machine.state)) {
                return;
            }
            machine.port = port;
            transition(machine, "started");
            event(machine, "start", "started", "flyd");
        } finally {
            lock.unlock();
        }
    }

    /** The process ended by itself (not because it was asked to). */
    public void exited(String id, long generation, int exitCode) {
        lock.lock();
        try {
            Machine machine = machines.get(id);
            if (machine == null || machine.generation != generation || machine.haltRequested) {
                return;
            }
            machine.port = 0;
            event(machine, "exit", exitCode == 0 ? "stopped" : "failed", "flyd");
            if ("starting".equals(machine.state)) {
                transition(machine, "failed");
                event(machine, "launch", "failed", "flyd");
                return;
            }
            String policy = machine.config.path("restart").path("policy").asString("always");
            int maxRetries = machine.config.path("restart").path("max_retries").asInt(10);
            boolean again = "always".equals(policy)
                    || ("on-failure".equals(policy) && exitCode != 0 && machine.restarts < maxRetries);
            if (again) {
                machine.restarts++;
                boot(machine);
            } else {
                transition(machine, exitCode == 0 ? "stopped" : "failed");
            }
        } finally {
            lock.unlock();
        }
    }

    /** A halt the world asked for is done. */
    public void halted(String id, long generation) {
        lock.lock();
        try {
            Machine machine = machines.get(id);
            if (machine == null || machine.generation != generation) {
                return;
            }
            machine.port = 0;
            String after = machine.afterHalt;
            machine.afterHalt = null;
            if ("restart".equals(after)) {
                boot(machine);
            } else if (after != null) {
                transition(machine, after);
                event(machine, "exit", after, "user");
            }
        } finally {
            lock.unlock();
        }
    }

    /** Fly's proxy saw traffic for the machine (autostop counts idleness from here). */
    public void touched(String id) {
        lock.lock();
        try {
            Machine machine = machines.get(id);
            if (machine != null) {
                machine.lastRequestAt = clock.instant();
            }
        } finally {
            lock.unlock();
        }
    }

    /** What Fly's proxy does to idle machines: stop or suspend them, down to the service's minimum running. */
    public int autostopIdle(Duration idle) {
        lock.lock();
        try {
            int stopped = 0;
            Instant cutoff = clock.instant().minus(idle);
            Map<String, List<Machine>> byApp = new TreeMap<>();
            machines.values().forEach(m -> byApp.computeIfAbsent(m.appName, k -> new ArrayList<>()).add(m));
            for (List<Machine> appMachines : byApp.values()) {
                long running = appMachines.stream().filter(m -> "started".equals(m.state)).count();
                for (Machine machine : appMachines) {
                    JsonNode service = machine.config.path("services").path(0);
                    String mode = autostopMode(service.path("autostop_machines"));
                    int minRunning = service.path("min_machines_running").asInt(0);
                    Instant last = machine.lastRequestAt == null ? machine.updatedAt : machine.lastRequestAt;
                    if ("started".equals(machine.state) && !"off".equals(mode) && running > minRunning
                            && last.isBefore(cutoff)) {
                        halt(machine, "suspend".equals(mode) ? "suspended" : "stopped",
                                "suspend".equals(mode) ? "suspending" : "stopping");
                        running--;
                        stopped++;
                    }
                }
            }
            return stopped;
        } finally {
            lock.unlock();
        }
    }

    static String autostopMode(JsonNode value) {
        if (value.isBoolean()) {
            return value.asBoolean() ? "stop" : "off";
        }
        return value.isString() ? value.asString() : "off";
    }

    /** Env of the machine's process: its config env, the app's secrets, and Fly's runtime variables. */
    Map<String, String> environment(Machine machine) {
        var env = new TreeMap<String, String>();
        machine.config.path("env").properties().forEach(entry -> env.put(entry.getKey(), entry.getValue().asString()));
        App app = apps.get(machine.appName);
        if (app != null) {
            app.secrets.values().forEach(secret -> env.put(secret.name(), secret.value()));
        }
        env.put("FLY_APP_NAME", machine.appName);
        env.put("FLY_MACHINE_ID", machine.id);
        env.put("FLY_ALLOC_ID", machine.id);
        env.put("FLY_REGION", machine.region);
        env.put("FLY_PRIVATE_IP", machine.privateIp);
        env.put("FLY_IMAGE_REF", machine.config.path("image").asString());
        env.put("FLY_MACHINE_VERSION", machine.instanceId);
        return env;
    }

    // ---- internals ---------------------------------------------------------------------------------------------------

    private void boot(Machine machine) {
        machine.haltRequested = false;
        machine.afterHalt = null;
        transition(machine, "starting");
        event(machine, "start", "starting", "user");
        long generation = ++machine.generation;
        runtime.boot(this, machine, generation, environment(machine));
    }

    private void halt(Machine machine, String after, String transient_) {
        machine.haltRequested = true;
        machine.afterHalt = after;
        transition(machine, transient_);
        long generation = ++machine.generation;
        runtime.halt(this, machine, generation, Duration.ofSeconds(10));
    }

    private void transition(Machine machine, String state) {
        machine.state = state;
        machine.updatedAt = clock.instant();
        changed.signalAll();
    }

    private void event(Machine machine, String type, String status, String source) {
        machine.events.add(0, new Machine.MachineEvent(Ids.ulid(), type, status, source,
                clock.instant().toEpochMilli()));
        if (machine.events.size() > 50) {
            machine.events.remove(machine.events.size() - 1);
        }
    }

    private Machine machine(String appName, String id, boolean includeDestroyed) {
        app(appName);
        Machine machine = machines.get(id);
        if (machine == null && includeDestroyed) {
            machine = destroyed.get(id);
        }
        if (machine == null || !machine.appName.equals(appName)) {
            throw FlyError.notFound("machine " + id);
        }
        return machine;
    }

    public Optional<Machine> find(String id) {
        lock.lock();
        try {
            return Optional.ofNullable(machines.get(id));
        } finally {
            lock.unlock();
        }
    }

    public <T> T locked(java.util.function.Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    static String digest(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void shutdown() {
        lock.lock();
        try {
            for (Machine machine : machines.values()) {
                if (machine.port != 0) {
                    machine.haltRequested = true;
                    runtime.halt(this, machine, ++machine.generation, Duration.ofSeconds(3));
                }
            }
        } finally {
            lock.unlock();
        }
        if (runtime != null) {
            runtime.close();
        }
    }
}
