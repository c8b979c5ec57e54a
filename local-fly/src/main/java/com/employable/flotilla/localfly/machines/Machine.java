package com.employable.flotilla.localfly.machines;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.node.ObjectNode;

/** A machine's mutable state; only {@link FlyWorld} changes it, under its lock. */
public final class Machine {

    final String id;
    final String appName;
    final String name;
    final String region;
    final Instant createdAt;
    final String privateIp;
    ObjectNode config;
    String state;
    String instanceId;
    Instant updatedAt;
    final List<MachineEvent> events = new ArrayList<>();
    Lease lease;
    /** Loopback port of the machine's process (process runtime), 0 otherwise. */
    int port;
    int restarts;
    /** A stop/suspend/destroy asked for by the API, so a process exit is not taken for a crash. */
    boolean haltRequested;
    /** The state a requested halt ends in: stopped, suspended, or restart. */
    String afterHalt;
    /** Bumped on each boot, so a late callback of an earlier boot cannot touch a newer one. */
    long generation;
    Instant lastRequestAt;

    Machine(String id, String appName, String name, String region, String privateIp, ObjectNode config,
            Instant createdAt) {
        this.id = id;
        this.appName = appName;
        this.name = name;
        this.region = region;
        this.privateIp = privateIp;
        this.config = config;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        this.instanceId = Ids.ulid();
        this.state = "created";
    }

    public String id() {
        return id;
    }

    public String appName() {
        return appName;
    }

    public String state() {
        return state;
    }

    public int port() {
        return port;
    }

    public String region() {
        return region;
    }

    public ObjectNode config() {
        return config;
    }

    /** Newest first, as Fly lists them. */
    public List<MachineEvent> events() {
        return List.copyOf(events);
    }

    public record MachineEvent(String id, String type, String status, String source, long timestamp) {
    }

    public record Lease(String nonce, long expiresAt, String owner, String description, String version) {
    }
}
