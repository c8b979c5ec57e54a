package com.employable.flotilla.localfly.machines;

import com.employable.flotilla.localfly.apps.App;
import com.employable.flotilla.localfly.apps.Apps;
import com.employable.flotilla.localfly.capacity.Capacity;
import com.employable.flotilla.localfly.capacity.Regions;
import com.employable.flotilla.localfly.error.FlyError;
import com.employable.flotilla.localfly.ids.Ids;
import com.employable.flotilla.localfly.leases.Leases;
import com.employable.flotilla.localfly.secrets.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.node.ObjectNode;

/**
 * The machine resource: machines of every app, Fly's state machine, their events, and waits on their state. The
 * runtime only reports what its processes did ({@link RuntimeEvents}); every state change happens here. Its
 * lifecycle actions (start, stop, ...) are {@link MachineActions}.
 */
public final class Machines {

    final MachineTable table;
    private final Capacity capacity;
    private final Regions regions;
    private final Autostop autostop;
    private final MachineActions actions;

    public Machines(Clock clock, Apps apps, Leases leases, Secrets secrets, Capacity capacity, Regions regions) {
        this.table = new MachineTable(clock, apps, leases, secrets);
        this.capacity = capacity;
        this.regions = regions;
        this.autostop = new Autostop(table);
        this.actions = new MachineActions(table);
    }

    public void runtime(MachineRuntime runtime) {
        table.runtime(runtime, new RuntimeReports(table));
    }

    public Autostop autostop() {
        return autostop;
    }

    public MachineActions actions() {
        return actions;
    }

    public MachineView create(
            String appName, String name, String region, ObjectNode config, boolean skipLaunch, Integer leaseTtl) {
        return table.locked(() -> {
            App app = table.apps.require(appName);
            if (config == null
                    || !config.path("image").isString()
                    || config.path("image").asString().isBlank()) {
                throw new FlyError(400, "config.image is required");
            }
            String placed = regions.place(region, this::hasRoom);
            String id = Ids.hex(14);
            String machineName = name == null || name.isBlank() ? "machine-" + id.substring(0, 6) : name;
            String privateIp =
                    String.format("fdaa:0:%x:a7b:%s:%s::2", app.networkId(), id.substring(0, 4), id.substring(4, 8));
            Machine machine =
                    new Machine(id, appName, machineName, placed, privateIp, config.deepCopy(), table.clock.instant());
            table.event(machine, "launch", "created", "user");
            table.live.put(id, machine);
            if (leaseTtl != null && leaseTtl > 0) {
                table.leases.grant(id, leaseTtl, "created with the machine");
            }
            if (!skipLaunch) {
                table.boot(machine);
            }
            table.signalChange();
            return machine.view();
        });
    }

    /** Full config only; region and name are immutable. A running machine reboots unless {@code skipLaunch}. */
    /** The region may take one more machine (its capacity counts every machine not destroyed). */
    private boolean hasRoom(String region) {
        return capacity.limit(region)
                .map(limit -> table.live.values().stream()
                                .filter(m -> m.region.equals(region))
                                .count()
                        < limit)
                .orElse(true);
    }

    public MachineView update(
            String appName,
            String id,
            String nonce,
            String region,
            String name,
            ObjectNode config,
            boolean skipLaunch) {
        return table.locked(() -> {
            Machine machine = table.require(appName, id, false);
            table.leases.check(id, nonce);
            if (config == null || !config.path("image").isString()) {
                throw new FlyError(400, "a full config with an image is required (no partial updates)");
            }
            if (region != null && !region.isBlank() && !region.equals(machine.region)) {
                throw new FlyError(400, "region is immutable; create a new machine in " + region);
            }
            if (name != null && !name.isBlank() && !name.equals(machine.name)) {
                throw new FlyError(400, "name is immutable");
            }
            if (machine.is("destroying", "destroyed")) {
                throw new FlyError(412, "machine is being destroyed");
            }
            machine.config = config.deepCopy();
            machine.instanceId = Ids.ulid();
            table.event(machine, "update", "updating", "user");
            // a new config never resumes the old one's memory
            table.discardSnapshot(machine);
            if (machine.is("started", "starting")) {
                table.halt(machine, skipLaunch ? "stopped" : "restart", "updating");
            } else if (!skipLaunch) {
                table.boot(machine);
            } else if (machine.is("suspended", "failed")) {
                table.transition(machine, "stopped");
            }
            table.signalChange();
            return machine.view();
        });
    }

    public void destroy(String appName, String id, String nonce, boolean force) {
        table.locked(() -> {
            Machine machine = table.require(appName, id, false);
            table.leases.check(id, nonce);
            if (!force && !MachineTable.STARTABLE.contains(machine.state)) {
                throw new FlyError(
                        412,
                        "unable to destroy machine, not currently stopped, suspended or failed " + "(state '"
                                + machine.state + "'); use force=true");
            }
            table.destroyNow(machine, "destroyed by user");
            return null;
        });
    }

    /**
     * Deletes the app with its machines, in one step under this lock so no machine is created for it meanwhile;
     * without force, running machines refuse it as Fly asks to stop them first.
     *
     * @return the app deleted, whose other resources the caller drops
     */
    public App deleteApp(String appName, boolean force) {
        return table.locked(() -> {
            table.apps.require(appName);
            List<Machine> appMachines = table.live.values().stream()
                    .filter(m -> m.appName.equals(appName))
                    .toList();
            if (!force && appMachines.stream().anyMatch(m -> !MachineTable.STARTABLE.contains(m.state))) {
                throw new FlyError(412, "app " + appName + " has running machines; stop them or use force=true");
            }
            appMachines.forEach(machine -> table.destroyNow(machine, "app deleted"));
            App removed = table.apps.remove(appName);
            table.signalChange();
            return removed;
        });
    }

    /** Blocks until the machine is in one of the states, or answers Fly's 408. Fly bounds one wait to 1..60 s. */
    public String waitFor(String appName, String id, Set<String> states, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return table.locked(() -> {
            try {
                while (true) {
                    Machine machine = table.live.get(id);
                    if (machine == null) {
                        machine = table.destroyed.get(id);
                    }
                    if (machine == null || !machine.appName.equals(appName)) {
                        throw FlyError.notFound("machine " + id);
                    }
                    if (states.contains(machine.state)) {
                        return machine.state;
                    }
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        throw new FlyError(
                                408,
                                "machine failed to reach desired state, " + String.join(",", states) + ", currently "
                                        + machine.state);
                    }
                    table.awaitChange(remaining);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FlyError(408, "wait interrupted");
            }
        });
    }

    /**
     * Runs a command in a started machine ({@code POST .../exec}): 412 for any other state; 408 when the command
     * outlives {@code timeout}. The command runs outside the lock, so a slow one holds up no other machine.
     */
    /**
     * Sets one metadata key ({@code POST .../metadata/{key}}): the machine's config changes in place, with no new
     * version, no restart and no lease needed, as on Fly.
     */
    public void setMetadata(String appName, String id, String key, String value) {
        if (key == null || key.isBlank() || value == null) {
            throw new FlyError(400, "invalid_argument: a metadata key and a value are required");
        }
        table.locked(() -> {
            Machine machine = table.require(appName, id, false);
            if (machine.is("destroying", "destroyed")) {
                throw new FlyError(412, "machine is being destroyed");
            }
            machine.config.withObject("metadata").put(key, value);
            machine.updatedAt = table.clock.instant();
            table.signalChange();
            return null;
        });
    }

    /** Fly's exec with what the command reads on its standard input (none when {@code stdin} is null). */
    public ExecResult exec(String appName, String id, List<String> command, String stdin, Duration timeout) {
        MachineTable.ExecTarget target = table.execTarget(appName, id);
        return target.runtime()
                .exec(target.machine(), target.env(), command, stdin, timeout)
                .orElseThrow(() -> new FlyError(408, "deadline_exceeded: exec did not finish within " + timeout));
    }

    public MachineView view(String appName, String id, boolean includeDestroyed) {
        return table.locked(() -> table.require(appName, id, includeDestroyed).view());
    }

    /** The app's machines that pass the filter, destroyed ones too when asked; 404 for an unknown app. */
    public List<MachineView> list(String appName, boolean includeDestroyed, Predicate<MachineView> filter) {
        return table.locked(() -> {
            table.apps.require(appName);
            List<Machine> pool = new ArrayList<>(table.live.values());
            if (includeDestroyed) {
                pool.addAll(table.destroyed.values());
            }
            return pool.stream()
                    .filter(machine -> machine.appName.equals(appName))
                    .map(Machine::view)
                    .filter(filter)
                    .toList();
        });
    }

    public List<MachineView> started(String appName) {
        return table.locked(() -> table.live.values().stream()
                .filter(machine -> machine.appName.equals(appName) && machine.is("started"))
                .map(Machine::view)
                .toList());
    }

    /** The app's started machines, as the proxy routes to them. */
    public List<MachineAddress> startedAddresses(String appName) {
        return table.locked(() -> {
            List<MachineAddress> started = new ArrayList<>(1);
            for (Machine machine : table.live.values()) {
                if (machine.appName.equals(appName) && machine.is("started")) {
                    started.add(machine.address());
                }
            }
            return started;
        });
    }

    /** A live machine, as the proxy routes to it. */
    public Optional<MachineAddress> address(String id) {
        return table.locked(() -> Optional.ofNullable(table.live.get(id)).map(Machine::address));
    }

    public Optional<MachineView> find(String id) {
        return table.locked(() -> Optional.ofNullable(table.live.get(id)).map(Machine::view));
    }

    /** Every machine's state changes, destroyed machines' too, in creation order. */
    public List<MachineTimeline> timelines() {
        return table.locked(() -> {
            List<MachineTimeline> all = new ArrayList<>();
            table.destroyed.values().forEach(machine -> all.add(machine.timeline()));
            table.live.values().forEach(machine -> all.add(machine.timeline()));
            return all;
        });
    }

    /** The app's machines that are not destroyed. */
    public int countOf(String appName) {
        return table.locked(() -> (int) table.live.values().stream()
                .filter(m -> m.appName.equals(appName))
                .count());
    }

    /** The runs of every started machine, without copying configs: what flyd's check loop polls. */
    public List<MachineBoot> startedBoots() {
        return table.locked(() -> table.live.values().stream()
                .filter(machine -> machine.is("started"))
                .map(Machines::boot)
                .flatMap(Optional::stream)
                .toList());
    }

    /** The machine's current run, if it is started. */
    public Optional<MachineBoot> currentBoot(String id) {
        return table.locked(() -> Optional.ofNullable(table.live.get(id))
                .filter(machine -> machine.is("started"))
                .flatMap(Machines::boot));
    }

    private static Optional<MachineBoot> boot(Machine machine) {
        return machine.events.stream()
                .filter(event -> "start".equals(event.type()) && "started".equals(event.status()))
                .findFirst()
                .map(event -> new MachineBoot(
                        machine.id,
                        machine.privateIp,
                        event.id(),
                        Instant.ofEpochMilli(event.timestamp()),
                        machine.port));
    }

    /** Halts every process and closes the runtime. */
    public void shutdown() {
        table.shutdown();
    }
}
