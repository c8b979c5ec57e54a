package com.employable.flotilla.localfly.leases;

import com.employable.flotilla.localfly.error.FlyError;
import com.employable.flotilla.localfly.ids.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Machine leases, keyed by machine id, expiring by their TTL. Its lock is a leaf: the machine resource checks a
 * nonce while holding its own lock (machines before leases), and nothing here calls out.
 */
public final class Leases {

    private static final String OWNER = "local-fly@localhost";

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Lease> byMachineId = new HashMap<>();
    private final Clock clock;

    public Leases(Clock clock) {
        this.clock = clock;
    }

    /** Fly bounds a lease to 1 s .. 1 day. */
    public static void requireTtl(int ttl) {
        if (ttl < 1 || ttl > 86_400) {
            throw new FlyError(400, "ttl must be between 1 and 86400 seconds");
        }
    }

    /** A new lease, or a refresh when the caller presents the current nonce; 409 while another holder has it. */
    public Lease acquire(String machineId, String nonce, int ttl, String description) {
        requireTtl(ttl);
        lock.lock();
        try {
            Lease current = active(machineId);
            if (current == null) {
                return grant(machineId, ttl, description);
            }
            if (!current.nonce().equals(nonce)) {
                throw new FlyError(
                        409,
                        "lease currently held by " + current.owner() + ", expires at "
                                + Instant.ofEpochSecond(current.expiresAt()));
            }
            Lease refreshed = new Lease(
                    current.nonce(),
                    clock.instant().getEpochSecond() + ttl,
                    current.owner(),
                    description == null ? current.description() : description,
                    Ids.ulid());
            byMachineId.put(machineId, refreshed);
            return refreshed;
        } finally {
            lock.unlock();
        }
    }

    /** A lease whatever is held: for a machine being created, which nobody else can hold yet. */
    public Lease grant(String machineId, int ttl, String description) {
        lock.lock();
        try {
            Lease lease = new Lease(
                    Ids.hex(12),
                    clock.instant().getEpochSecond() + ttl,
                    OWNER,
                    description == null ? "" : description,
                    Ids.ulid());
            byMachineId.put(machineId, lease);
            return lease;
        } finally {
            lock.unlock();
        }
    }

    public Optional<Lease> find(String machineId) {
        lock.lock();
        try {
            return Optional.ofNullable(active(machineId));
        } finally {
            lock.unlock();
        }
    }

    public void release(String machineId, String nonce) {
        lock.lock();
        try {
            Lease lease = active(machineId);
            if (lease == null) {
                throw FlyError.notFound("lease");
            }
            if (!lease.nonce().equals(nonce)) {
                throw new FlyError(409, "lease nonce does not match");
            }
            byMachineId.remove(machineId);
        } finally {
            lock.unlock();
        }
    }

    /** 409 naming the holder unless the machine is free or {@code nonce} is the current lease's. */
    public void check(String machineId, String nonce) {
        lock.lock();
        try {
            Lease lease = active(machineId);
            if (lease != null && !lease.nonce().equals(nonce)) {
                throw new FlyError(
                        409,
                        "machine " + machineId + " is leased by " + lease.owner()
                                + "; send its nonce in fly-machine-lease-nonce");
            }
        } finally {
            lock.unlock();
        }
    }

    /** The machine is gone. */
    public void drop(String machineId) {
        lock.lock();
        try {
            byMachineId.remove(machineId);
        } finally {
            lock.unlock();
        }
    }

    private Lease active(String machineId) {
        Lease lease = byMachineId.get(machineId);
        if (lease != null && lease.expiresAt() <= clock.instant().getEpochSecond()) {
            byMachineId.remove(machineId);
            return null;
        }
        return lease;
    }
}
