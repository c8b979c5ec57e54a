package com.employable.flotilla.billing.metering;

import com.employable.flotilla.billing.pricing.PriceBooks;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.events.Require;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.common.teams.TeamAddresses;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What billing demands of a machine state beyond the contract's own checks, before anything is stored: every value
 * that prices it must be one the price book prices (so nothing is silently priced as something else), the app must be
 * the team's server app (its own or a warm-pool app it claimed), and identifiers must be of a sane length (an
 * over-long one would fail the insert, and a database error holds the partition until it is fixed). A violation
 * names the field and dead-letters that record alone.
 */
@Component
public class MachineStateRules {

    /** CloudEvent ids are UUIDs here; anything much longer is not an id. */
    static final int MAX_EVENT_ID = 200;

    /** Fly machine ids are 14 hex characters. */
    static final int MAX_MACHINE_ID = 64;

    /** Every state Fly documents (machine-states); the ones outside Meter's two sets cost nothing. */
    static final Set<String> FLY_STATES = Set.of(
            "created",
            "started",
            "stopped",
            "suspended",
            "failed",
            "creating",
            "starting",
            "stopping",
            "restarting",
            "suspending",
            "destroying",
            "launch_failed",
            "updating",
            "replacing",
            "destroyed",
            "replaced",
            "migrated");

    static final Set<String> CPU_KINDS = Set.of("shared", "performance");

    /** Beyond any Fly machine: a bigger value is a broken event, not a big bill. */
    static final int MAX_CPUS = 64;

    static final int MAX_MEMORY_MB = 256 * 1024;

    static final int MAX_ROOTFS_GB = 2048;

    private final TeamAddresses addresses;

    private final PriceBooks books;

    public MachineStateRules(TeamAddresses addresses, PriceBooks books) {
        this.addresses = addresses;
        this.books = books;
    }

    /**
     * @throws InvalidEventException naming the field when a machine state cannot be metered as it is
     */
    public void check(EventEnvelope<? extends ServerLifecycleEvent> envelope) {
        atMost(envelope.id(), MAX_EVENT_ID, "ce_id");
        if (!(envelope.data() instanceof MachineStateChanged change)) {
            return;
        }
        addresses.requireServerApp(change.teamId(), change.app(), "app");
        atMost(change.machineId(), MAX_MACHINE_ID, "machineId");
        if (!FLY_STATES.contains(change.to())) {
            throw new InvalidEventException("to '" + Require.shown(change.to()) + "' is not a Fly machine state");
        }
        if (change.from() != null && !FLY_STATES.contains(change.from())) {
            throw new InvalidEventException("from '" + Require.shown(change.from()) + "' is not a Fly machine state");
        }
        if (!CPU_KINDS.contains(change.guest().cpuKind())) {
            throw new InvalidEventException("guest.cpuKind '"
                    + Require.shown(change.guest().cpuKind()) + "' is neither shared nor performance");
        }
        atMost(change.guest().cpus(), MAX_CPUS, "guest.cpus");
        atMost(change.guest().memoryMb(), MAX_MEMORY_MB, "guest.memoryMb");
        atMost(change.rootfsGb(), MAX_ROOTFS_GB, "rootfsGb");
        var book = books.at(change.at());
        if (!book.fly().regionMultipliers().containsKey(change.region())) {
            throw new InvalidEventException(
                    "region '" + Require.shown(change.region()) + "' has no price in price book " + book.id());
        }
    }

    private static void atMost(String value, int max, String field) {
        if (value != null && value.length() > max) {
            throw new InvalidEventException(
                    field + " is " + value.length() + " characters long, at most " + max + " are accepted");
        }
    }

    private static void atMost(int value, int max, String field) {
        if (value > max) {
            throw new InvalidEventException(field + " is " + value + ", at most " + max + " is accepted");
        }
    }
}
