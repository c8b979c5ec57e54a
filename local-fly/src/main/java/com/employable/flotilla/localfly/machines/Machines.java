package com.employable.flotilla.localfly.machines;

import java.time.Instant;

/** Read access to machine fields for the API layer (the world keeps them package-private to guard writes). */
public final class Machines {

    private Machines() {
    }

    public static String name(Machine machine) {
        return machine.name;
    }

    public static String instanceId(Machine machine) {
        return machine.instanceId;
    }

    public static String privateIp(Machine machine) {
        return machine.privateIp;
    }

    public static Instant createdAt(Machine machine) {
        return machine.createdAt;
    }

    public static Instant updatedAt(Machine machine) {
        return machine.updatedAt;
    }

    public static Machine.Lease lease(Machine machine) {
        return machine.lease;
    }

    public static String id(App app) {
        return app.id;
    }

    public static String org(App app) {
        return app.org;
    }

    public static String network(App app) {
        return app.network;
    }

    public static int networkId(App app) {
        return app.networkId;
    }

    public static java.util.Collection<App.Secret> secrets(App app) {
        return app.secrets.values();
    }

    public static long secretsVersion(App app) {
        return app.secretsVersion;
    }

    public static java.util.List<App.IpAssignment> ips(App app) {
        return java.util.List.copyOf(app.ips);
    }

    public static Instant createdAt(App app) {
        return app.createdAt;
    }
}
