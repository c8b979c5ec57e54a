package com.employable.flotilla.localfly.ips;

import com.employable.flotilla.localfly.apps.App;
import com.employable.flotilla.localfly.apps.Apps;
import com.employable.flotilla.localfly.error.FlyError;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The apps' IP assignments, keyed by app id. Under this lock it looks apps up (IPs before apps), never the reverse.
 */
public final class IpAssignments {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, List<IpAssignment>> byAppId = new HashMap<>();
    private final Apps apps;
    private final Clock clock;

    public IpAssignments(Apps apps, Clock clock) {
        this.apps = apps;
        this.clock = clock;
    }

    public IpAssignment assign(String appName, String type, String network, String region) {
        lock.lock();
        try {
            App app = apps.require(appName);
            List<IpAssignment> assigned = byAppId.computeIfAbsent(app.id(), id -> new ArrayList<>());
            String ip;
            boolean shared = false;
            String flycastNetwork = null;
            switch (type == null ? "" : type) {
                case "private_v6" -> {
                    // Flycast lands in the network asked for; Fly does not default it to the app's
                    flycastNetwork = network == null || network.isBlank() ? "default" : network;
                    int networkId = apps.networkId(flycastNetwork).orElse(app.networkId());
                    ip = String.format("fdaa:0:%x:0:1::%x", networkId, assigned.size() + 2);
                }
                case "v6" -> ip = String.format("2a09:8280:1::%x:%x", app.networkId(), assigned.size() + 1);
                case "shared_v4" -> {
                    ip = "66.241.124." + (app.networkId() % 250 + 1);
                    shared = true;
                }
                case "v4" -> ip = "137.66." + (app.networkId() % 250) + "." + (assigned.size() + 1);
                default -> throw new FlyError(400, "type must be one of v4, shared_v4, v6, private_v6");
            }
            var assignment = new IpAssignment(
                    ip, type, region == null ? "global" : region, shared, flycastNetwork, clock.instant());
            assigned.add(assignment);
            return assignment;
        } finally {
            lock.unlock();
        }
    }

    public List<IpAssignment> of(String appName) {
        lock.lock();
        try {
            return List.copyOf(byAppId.getOrDefault(apps.require(appName).id(), List.of()));
        } finally {
            lock.unlock();
        }
    }

    public void release(String appName, String ip) {
        lock.lock();
        try {
            List<IpAssignment> assigned =
                    byAppId.getOrDefault(apps.require(appName).id(), new ArrayList<>());
            if (!assigned.removeIf(assignment -> assignment.ip().equals(ip))) {
                throw FlyError.notFound("ip " + ip);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The app was deleted. */
    public void drop(String appId) {
        lock.lock();
        try {
            byAppId.remove(appId);
        } finally {
            lock.unlock();
        }
    }
}
