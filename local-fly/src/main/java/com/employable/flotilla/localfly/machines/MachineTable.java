package com.employable.flotilla.localfly.machines;

import com.employable.flotilla.localfly.apps.Apps;
import com.employable.flotilla.localfly.error.FlyError;
import com.employable.flotilla.localfly.ids.Ids;
import com.employable.flotilla.localfly.leases.Leases;
import com.employable.flotilla.localfly.secrets.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine resource's state and its one lock, with the moves of Fly's state diagram that every operation shares.
 * One condition wakes every waiter on any state change. Under this lock it may look up apps, leases and secrets
 * (machines first, then those leaves); none of them calls back here, so the order cannot invert.
 */
final class MachineTable {

    private static final Logger log = LoggerFactory.getLogger(MachineTable.class);
    static final Set<String> STARTABLE = Set.of("created", "stopped", "suspended", "failed");

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    final Map<String, Machine> live = new LinkedHashMap<>();
    final Map<String, Machine> destroyed = new LinkedHashMap<>();
    final Clock clock;
    final Apps apps;
    final Leases leases;
    private final Secrets secrets;
    private MachineRuntime runtime;
    private RuntimeEvents reports;

    MachineTable(Clock clock, Apps apps, Leases leases, Secrets secrets) {
        this.clock = clock;
        this.apps = apps;
        this.leases = leases;
        this.secrets = secrets;
    }

    void runtime(MachineRuntime runtime, RuntimeEvents reports) {
        locked(() -> {
            this.runtime = runtime;
            this.reports = reports;
            return null;
        });
    }

    <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for any state change, at most {@code nanos}; the caller holds the lock. */
    void awaitChange(long nanos) throws InterruptedException {
        changed.await(nanos, TimeUnit.NANOSECONDS);
    }

    void signalChange() {
        changed.signalAll();
    }

    /** The app's machine, or Fly's 404 (for the app first, as Fly checks it first). */
    Machine require(String appName, String id, boolean includeDestroyed) {
        apps.require(appName);
        Machine machine = live.get(id);
        if (machine == null && includeDestroyed) {
            machine = destroyed.get(id);
        }
        if (machine == null || !machine.appName.equals(appName)) {
            throw FlyError.notFound("machine " + id);
        }
        return machine;
    }

    /** A cold boot: a fresh process from the machine's config. */
    void boot(Machine machine) {
        long generation = enterStarting(machine);
        runtime.boot(reports, machine.view(), generation, environment(machine));
    }

    /** A start asked for (API or proxy): a suspended machine resumes from its snapshot, any other boots cold. */
    void start(Machine machine) {
        if (!machine.is("suspended")) {
            boot(machine);
            return;
        }
        long generation = enterStarting(machine);
        runtime.resume(reports, machine.view(), generation, environment(machine));
    }

    private long enterStarting(Machine machine) {
        machine.haltRequested = false;
        machine.afterHalt = null;
        transition(machine, "starting");
        event(machine, "start", "starting", "user");
        return ++machine.generation;
    }

    /**
     * Ends the machine's process, or freezes it when {@code after} is {@code suspended}; {@code after} is the state
     * once that is done (or {@code restart}).
     */
    void halt(Machine machine, String after, String transient_) {
        machine.haltRequested = true;
        machine.afterHalt = after;
        transition(machine, transient_);
        long generation = ++machine.generation;
        if ("suspended".equals(after)) {
            runtime.suspend(reports, machine.view(), generation);
        } else {
            runtime.halt(reports, machine.view(), generation, Duration.ofSeconds(10));
        }
    }

    /** A suspended machine leaving that state other than by a resume: its snapshot (a frozen process) goes. */
    void discardSnapshot(Machine machine) {
        if (machine.is("suspended")) {
            runtime.discardSnapshot(machine.view());
        }
    }

    void haltQuietly(Machine machine, Duration grace) {
        machine.haltRequested = true;
        runtime.halt(reports, machine.view(), ++machine.generation, grace);
    }

    void destroyNow(Machine machine, String why) {
        discardSnapshot(machine);
        if (machine.port != 0 || machine.is("started", "starting")) {
            haltQuietly(machine, Duration.ZERO);
        }
        transition(machine, "destroying");
        transition(machine, "destroyed");
        event(machine, "destroy", "destroyed", "user");
        leases.drop(machine.id);
        live.remove(machine.id);
        destroyed.put(machine.id, machine);
        log.debug("Machine {} of {} destroyed: {}", machine.id, machine.appName, why);
    }

    void transition(Machine machine, String state) {
        machine.state = state;
        machine.updatedAt = clock.instant();
        machine.changedTo(state, machine.updatedAt);
        changed.signalAll();
    }

    void event(Machine machine, String type, String status, String source) {
        machine.record(new MachineEvent(
                Ids.ulid(), type, status, source, clock.instant().toEpochMilli()));
    }

    /** What an exec needs, read under the lock: only a started machine runs commands (412 otherwise). */
    record ExecTarget(MachineRuntime runtime, MachineView machine, Map<String, String> env) {}

    ExecTarget execTarget(String appName, String id) {
        return locked(() -> {
            Machine machine = require(appName, id, false);
            if (!machine.is("started")) {
                throw new FlyError(412, "machine " + id + " is not started (state " + machine.state + ")");
            }
            return new ExecTarget(runtime, machine.view(), environment(machine));
        });
    }

    /** Env of the machine's process: its config env, the app's secrets, and Fly's runtime variables. */
    private Map<String, String> environment(Machine machine) {
        var env = new TreeMap<String, String>();
        machine.config
                .path("env")
                .properties()
                .forEach(entry -> env.put(entry.getKey(), entry.getValue().asString()));
        env.putAll(secrets.values(machine.appName));
        env.put("FLY_APP_NAME", machine.appName);
        env.put("FLY_MACHINE_ID", machine.id);
        env.put("FLY_ALLOC_ID", machine.id);
        env.put("FLY_REGION", machine.region);
        env.put("FLY_PRIVATE_IP", machine.privateIp);
        env.put("FLY_IMAGE_REF", machine.config.path("image").asString());
        env.put("FLY_MACHINE_VERSION", machine.instanceId);
        return env;
    }

    void shutdown() {
        MachineRuntime stopping = locked(() -> {
            live.values().stream()
                    .filter(machine -> machine.port != 0)
                    .forEach(machine -> haltQuietly(machine, Duration.ofSeconds(3)));
            return runtime;
        });
        if (stopping != null) {
            stopping.close();
        }
    }
}
