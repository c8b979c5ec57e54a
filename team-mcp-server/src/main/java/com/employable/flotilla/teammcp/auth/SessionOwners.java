package com.employable.flotilla.teammcp.auth;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Binds each MCP session to the principal that opened it (MCP security best practice: a session id alone must not
 * grant access). A request that carries a session id it does not own is treated as if the session did not exist;
 * this is also what limits the probe token to deleting its own sessions.
 */
final class SessionOwners {

    /** Longer than the SDK keeps an idle session (its sweeper evicts after one to two sweep intervals). */
    static final Duration IDLE_EXPIRY = Duration.ofMinutes(60);

    private static final long PURGE_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    enum Ownership {
        OWNED,
        UNKNOWN,
        NOT_OWNED
    }

    private static final class Owner {
        final String key;
        volatile long lastSeenNanos;

        Owner(String key, long now) {
            this.key = key;
            this.lastSeenNanos = now;
        }
    }

    private final ConcurrentHashMap<String, Owner> owners = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private final AtomicLong lastPurge;

    SessionOwners(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.lastPurge = new AtomicLong(nanoTime.getAsLong());
    }

    void bind(String sessionId, Principal principal) {
        long now = nanoTime.getAsLong();
        owners.put(sessionId, new Owner(principal.ownerKey(), now));
        long last = lastPurge.get();
        if (now - last > PURGE_EVERY_NANOS && lastPurge.compareAndSet(last, now)) {
            purgeIdle(now);
        }
    }

    Ownership check(String sessionId, Principal principal) {
        Owner owner = owners.get(sessionId);
        if (owner == null) {
            return Ownership.UNKNOWN;
        }
        if (!owner.key.equals(principal.ownerKey())) {
            return Ownership.NOT_OWNED;
        }
        owner.lastSeenNanos = nanoTime.getAsLong();
        return Ownership.OWNED;
    }

    void release(String sessionId) {
        owners.remove(sessionId);
    }

    int size() {
        return owners.size();
    }

    private void purgeIdle(long now) {
        long expiry = IDLE_EXPIRY.toNanos();
        owners.entrySet().removeIf(entry -> now - entry.getValue().lastSeenNanos > expiry);
    }
}
