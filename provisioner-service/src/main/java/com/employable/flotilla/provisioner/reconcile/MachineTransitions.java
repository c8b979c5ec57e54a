package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.fly.FlyModel.MachineEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The state changes of one machine since the last one published, read from its events: a listing only shows the
 * state of the moment, so a machine that was suspended and woke again between two listings would look unchanged,
 * and billing would charge its sleep at the running price. Fly lists each machine with its recent events (type,
 * the state it reached, Fly's timestamp); every event newer than the last one taken into account whose state differs
 * from the current one is a transition, at Fly's time, in Fly's order. Then the listing's own state, which Fly calls
 * the truth, when it differs and is newer (a transient state such as {@code stopping} has no event of its own).
 *
 * <p>The high-water mark (the newest event's timestamp and id) is stored with the state, so a transition is
 * published once across listings, instances and restarts, and an older listing arriving late publishes nothing.
 */
final class MachineTransitions {

    /** Machine states an event can report (Fly's diagram); anything else in an event's status is not a state. */
    static final Set<String> STATES = Set.of(
            "created",
            "starting",
            "started",
            "stopping",
            "stopped",
            "suspending",
            "suspended",
            "restarting",
            "updating",
            "replacing",
            "destroying",
            "destroyed",
            "failed");

    private static final Comparator<MachineEvent> FLY_ORDER =
            Comparator.comparing(MachineEvent::timestamp).thenComparing(event -> event.id() == null ? "" : event.id());

    private MachineTransitions() {}

    /**
     * What was last published for a machine.
     *
     * @param eventsUntilMs the newest event taken into account (ms), null for a row from before events were read:
     *                      then everything up to {@code changedAt} counts as seen
     */
    record Known(String state, Instant changedAt, Long eventsUntilMs, String eventsUntilId) {

        static final Known NEW = new Known(null, null, Long.MIN_VALUE, "");

        boolean seen(MachineEvent event) {
            long until = eventsUntilMs != null ? eventsUntilMs : changedAt.toEpochMilli();
            String id = eventsUntilMs != null ? eventsUntilId : "\uffff";
            int byTime = Long.compare(event.timestamp(), until);
            return byTime < 0 || (byTime == 0 && (event.id() == null ? "" : event.id()).compareTo(id) <= 0);
        }
    }

    record Transition(String from, String to, Instant at) {}

    /** The transitions to publish, in order, and what is known after them. */
    record Result(List<Transition> transitions, Known known) {}

    static Result of(Known known, Machine machine, Instant now) {
        String state = known.state();
        Instant changedAt = known.changedAt();
        long untilMs = known.eventsUntilMs() != null
                ? known.eventsUntilMs()
                : known.changedAt() == null ? Long.MIN_VALUE : known.changedAt().toEpochMilli();
        String untilId = known.eventsUntilMs() != null ? known.eventsUntilId() : "\uffff";
        var transitions = new ArrayList<Transition>();
        List<MachineEvent> events = machine.events() == null
                ? List.of()
                : machine.events().stream()
                        .filter(event -> event.timestamp() != null)
                        .filter(event -> !known.seen(event))
                        .sorted(FLY_ORDER)
                        .toList();
        for (MachineEvent event : events) {
            untilMs = event.timestamp();
            untilId = event.id() == null ? "" : event.id();
            if (event.status() == null
                    || !STATES.contains(event.status())
                    || event.status().equals(state)) {
                continue;
            }
            Instant at = latest(changedAt, Instant.ofEpochMilli(event.timestamp()));
            transitions.add(new Transition(state, event.status(), at));
            state = event.status();
            changedAt = at;
        }
        Instant listedAt = listedAt(machine, now);
        boolean fresh = changedAt == null || listedAt.isAfter(changedAt);
        if (machine.state() != null && !Objects.equals(machine.state(), state) && fresh) {
            transitions.add(new Transition(state, machine.state(), listedAt));
            state = machine.state();
            changedAt = listedAt;
        }
        return new Result(transitions, new Known(state, changedAt, untilMs, untilId));
    }

    /** When the listed state came about, by Fly's clock: its last update or newest event, whichever is later. */
    private static Instant listedAt(Machine machine, Instant now) {
        Instant byEvents = machine.changedAt(null);
        Instant updated = null;
        try {
            updated = machine.updatedAt() == null ? null : Instant.parse(machine.updatedAt());
        } catch (RuntimeException unparsable) {
            // Fly's events still tell
        }
        Instant latest = latest(byEvents, updated);
        return latest == null ? now : latest;
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
