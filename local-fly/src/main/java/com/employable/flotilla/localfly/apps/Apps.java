package com.employable.flotilla.localfly.apps;

import com.employable.flotilla.localfly.error.FlyError;
import com.employable.flotilla.localfly.ids.Ids;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Apps and their private networks. Its lock is a leaf: other resources may look an app up while holding their own
 * lock, and nothing here calls out while holding this one.
 */
public final class Apps {

    private static final int DEFAULT_NETWORK_ID = 1;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, App> byName = new TreeMap<>();
    private final Clock clock;
    private final String defaultOrg;
    private int lastNetworkId = 100;

    public Apps(Clock clock, String defaultOrg) {
        this.clock = clock;
        this.defaultOrg = defaultOrg;
    }

    public App create(String name, String org, String network) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{1,62}")) {
            throw new FlyError(400, "app name must be 2-63 characters of lowercase letters, digits and dashes");
        }
        String owner = org == null || org.isBlank() ? defaultOrg : org;
        String net = network == null || network.isBlank() ? "default" : network;
        lock.lock();
        try {
            if (byName.containsKey(name)) {
                throw new FlyError(422, "Name has already been taken", "name_taken");
            }
            int networkId = "default".equals(net)
                    ? DEFAULT_NETWORK_ID
                    : byName.values().stream()
                            .filter(app ->
                                    app.network().equals(net) && app.org().equals(owner))
                            .map(App::networkId)
                            .findFirst()
                            .orElseGet(() -> ++lastNetworkId);
            App app = new App(Ids.hex(14), name, owner, net, networkId, clock.instant());
            byName.put(name, app);
            return app;
        } finally {
            lock.unlock();
        }
    }

    /** The app, or Fly's 404. */
    public App require(String name) {
        return find(name).orElseThrow(() -> FlyError.notFound("app " + name));
    }

    public Optional<App> find(String name) {
        lock.lock();
        try {
            return Optional.ofNullable(byName.get(name));
        } finally {
            lock.unlock();
        }
    }

    /** By name; every org when {@code org} is null. */
    public List<App> list(String org) {
        lock.lock();
        try {
            return byName.values().stream()
                    .filter(app -> org == null || app.org().equals(org))
                    .toList();
        } finally {
            lock.unlock();
        }
    }

    /** The number of the network of that name (the first app on it, by name), if any app is on it. */
    public Optional<Integer> networkId(String network) {
        if ("default".equals(network)) {
            return Optional.of(DEFAULT_NETWORK_ID);
        }
        lock.lock();
        try {
            return byName.values().stream()
                    .filter(app -> app.network().equals(network))
                    .map(App::networkId)
                    .findFirst();
        } finally {
            lock.unlock();
        }
    }

    public App remove(String name) {
        lock.lock();
        try {
            App removed = byName.remove(name);
            if (removed == null) {
                throw FlyError.notFound("app " + name);
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }
}
