package com.employable.flotilla.localfly.machines;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An app's mutable state; only {@link FlyWorld} changes it, under its lock. */
public final class App {

    final String id;
    final String name;
    final String org;
    final String network;
    final int networkId;
    final Instant createdAt;
    final Map<String, Secret> secrets = new LinkedHashMap<>();
    long secretsVersion;
    final List<IpAssignment> ips = new ArrayList<>();

    App(String id, String name, String org, String network, int networkId, Instant createdAt) {
        this.id = id;
        this.name = name;
        this.org = org;
        this.network = network;
        this.networkId = networkId;
        this.createdAt = createdAt;
    }

    public String name() {
        return name;
    }

    public record Secret(String name, String value, String digest, long version, Instant createdAt,
                         Instant updatedAt) {
    }

    public record IpAssignment(String ip, String type, String region, boolean shared, String network,
                               Instant createdAt) {
    }
}
