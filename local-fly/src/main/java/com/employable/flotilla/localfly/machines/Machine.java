package com.employable.flotilla.localfly.machines;

import com.employable.flotilla.localfly.ids.Ids;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * A machine's mutable state. It never leaves this package: only the machine resource changes it, under its lock,
 * and everyone else gets a {@link MachineView}.
 */
final class Machine {

    private static final int EVENTS_KEPT = 50;
    private static final int CHANGES_KEPT = 100_000;

    final String id;
    final String appName;
    final String name;
    final String region;
    final Instant createdAt;
    final String privateIp;
    ObjectNode config;
    String state = "created";
    String instanceId = Ids.ulid();
    Instant updatedAt;
    /** Newest first, as Fly lists them. */
    final List<MachineEvent> events = new ArrayList<>();
    /** Every state entered, oldest first: the ground truth of how long it ran (admin timeline). */
    private final ArrayDeque<StateChange> changes = new ArrayDeque<>();

    private long changesDropped;
    /** Loopback port of the machine's process (process runtime), 0 otherwise. */
    int port;

    int restarts;
    /** A stop/suspend/destroy asked for by the API, so a process exit is not taken for a crash. */
    boolean haltRequested;
    /** The state a requested halt ends in: stopped, suspended, or restart. */
    String afterHalt;
    /** Bumped on each boot, so a late callback of an earlier boot cannot touch a newer one. */
    long generation;

    /** When a request the proxy routed here last began or ended. */
    Instant lastRequestAt;
    /** Proxied requests under way (Fly's "load"): a machine with any is never idle. */
    int inFlight;

    Machine(
            String id,
            String appName,
            String name,
            String region,
            String privateIp,
            ObjectNode config,
            Instant createdAt) {
        this.id = id;
        this.appName = appName;
        this.name = name;
        this.region = region;
        this.privateIp = privateIp;
        this.config = config;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        changes.add(new StateChange(state, createdAt));
    }

    boolean is(String... states) {
        return List.of(states).contains(state);
    }

    void record(MachineEvent event) {
        events.add(0, event);
        if (events.size() > EVENTS_KEPT) {
            events.remove(events.size() - 1);
        }
    }

    void changedTo(String newState, Instant at) {
        changes.add(new StateChange(newState, at));
        if (changes.size() > CHANGES_KEPT) {
            changes.removeFirst();
            changesDropped++;
        }
    }

    MachineTimeline timeline() {
        return new MachineTimeline(id, appName, region, List.copyOf(changes), changesDropped);
    }

    MachineAddress address() {
        return new MachineAddress(id, appName, state, port);
    }

    MachineView view() {
        return new MachineView(
                id,
                appName,
                name,
                state,
                region,
                instanceId,
                privateIp,
                createdAt,
                updatedAt,
                config.deepCopy(),
                List.copyOf(events),
                port);
    }
}
