package com.employable.flotilla.localfly.secrets;

import com.employable.flotilla.localfly.apps.App;
import com.employable.flotilla.localfly.apps.Apps;
import com.employable.flotilla.localfly.error.FlyError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * App secrets, one version per write. Keyed by app id, so an app deleted and created again under its name starts
 * empty. Writes take this resource's lock (then look the app up: secrets before apps); reads take an immutable
 * snapshot without it, so booting a machine never waits for a secrets write.
 */
public final class Secrets {

    private final ReentrantLock writes = new ReentrantLock();
    private final Map<String, SecretSet> byAppId = new ConcurrentHashMap<>();
    private final Apps apps;
    private final Clock clock;

    public Secrets(Apps apps, Clock clock) {
        this.apps = apps;
        this.clock = clock;
    }

    /** Sets (non-null) or unsets (null) values; one new version for the whole batch, applied whole or not at all. */
    public SecretSet set(String appName, Map<String, String> values) {
        writes.lock();
        try {
            App app = apps.require(appName);
            values.keySet().forEach(name -> {
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new FlyError(400, "invalid secret name " + name);
                }
            });
            SecretSet current = byAppId.getOrDefault(app.id(), SecretSet.EMPTY);
            long version = current.version() + 1;
            Instant now = clock.instant();
            Map<String, Secret> next = current.byName();
            values.forEach((name, value) -> {
                if (value == null) {
                    next.remove(name);
                } else {
                    Secret previous = next.get(name);
                    next.put(
                            name,
                            new Secret(
                                    name,
                                    value,
                                    digest(value),
                                    version,
                                    previous == null ? now : previous.createdAt(),
                                    now));
                }
            });
            SecretSet written = new SecretSet(version, new ArrayList<>(next.values()));
            byAppId.put(app.id(), written);
            return written;
        } finally {
            writes.unlock();
        }
    }

    public void delete(String appName, String name) {
        writes.lock();
        try {
            App app = apps.require(appName);
            SecretSet current = byAppId.getOrDefault(app.id(), SecretSet.EMPTY);
            Map<String, Secret> next = current.byName();
            if (next.remove(name) == null) {
                throw FlyError.notFound("secret " + name);
            }
            byAppId.put(app.id(), new SecretSet(current.version() + 1, new ArrayList<>(next.values())));
        } finally {
            writes.unlock();
        }
    }

    /** The app's secrets now, or Fly's 404 for an unknown app. */
    public SecretSet of(String appName) {
        return byAppId.getOrDefault(apps.require(appName).id(), SecretSet.EMPTY);
    }

    /** Name to value, for a machine's environment; empty for an app that is gone. */
    public Map<String, String> values(String appName) {
        var values = new LinkedHashMap<String, String>();
        apps.find(appName)
                .map(app -> byAppId.getOrDefault(app.id(), SecretSet.EMPTY))
                .orElse(SecretSet.EMPTY)
                .secrets()
                .forEach(secret -> values.put(secret.name(), secret.value()));
        return values;
    }

    /** The app was deleted. */
    public void drop(String appId) {
        writes.lock();
        try {
            byAppId.remove(appId);
        } finally {
            writes.unlock();
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
}
