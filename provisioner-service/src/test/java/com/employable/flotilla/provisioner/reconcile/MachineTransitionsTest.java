package com.employable.flotilla.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.fly.FlyModel.MachineEvent;
import com.employable.flotilla.provisioner.reconcile.MachineTransitions.Known;
import com.employable.flotilla.provisioner.reconcile.MachineTransitions.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A machine's state changes read from its events: all of them, once, in Fly's order and at Fly's times. */
class MachineTransitionsTest {

    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void aNewMachineIsReplayedFromItsFirstEvent() {
        var result = MachineTransitions.of(
                Known.NEW, machine("started", event(1, "created"), event(2, "starting"), event(3, "started")), T0);

        assertThat(result.transitions())
                .containsExactly(
                        new Transition(null, "created", at(1)),
                        new Transition("created", "starting", at(2)),
                        new Transition("starting", "started", at(3)));
        assertThat(result.known().state()).isEqualTo("started");
    }

    @Test
    void aSleepAndAWakeBetweenTwoListingsAreBothPublishedThenNothingMore() {
        var first = MachineTransitions.of(
                Known.NEW, machine("started", event(1, "created"), event(2, "starting"), event(3, "started")), T0);
        // suspended and woken again before the next listing: the listing alone says "started", as before
        Machine later = machine(
                "started",
                event(1, "created"),
                event(2, "starting"),
                event(3, "started"),
                event(50, "suspended"),
                event(90, "starting"),
                event(91, "started"));

        var second = MachineTransitions.of(first.known(), later, T0);
        var again = MachineTransitions.of(second.known(), later, T0);
        var stale = MachineTransitions.of(second.known(), machine("started", event(3, "started")), T0);

        assertThat(second.transitions())
                .containsExactly(
                        new Transition("started", "suspended", at(50)),
                        new Transition("suspended", "starting", at(90)),
                        new Transition("starting", "started", at(91)));
        assertThat(again.transitions()).isEmpty();
        assertThat(stale.transitions()).isEmpty();
    }

    @Test
    void aStateWithoutAnEventOfItsOwnComesFromTheListingAtItsUpdateTime() {
        var known = new Known("started", at(3), at(3).toEpochMilli(), "e3");
        var stopping = new Machine(
                "m1", "m1", "stopping", "fra", null, null, null, null, null, at(20).toString(), events(), null);

        var result = MachineTransitions.of(known, stopping, T0);
        var olderListing = MachineTransitions.of(result.known(), machine("started", event(3, "started")), T0);

        assertThat(result.transitions()).containsExactly(new Transition("started", "stopping", at(20)));
        assertThat(olderListing.transitions())
                .as("an older listing arriving late")
                .isEmpty();
    }

    @Test
    void aRowFromBeforeEventsWereReadCountsEverythingUntilItsLastChangeAsSeen() {
        var before = new Known("started", at(3), null, null);

        var result = MachineTransitions.of(
                before, machine("stopped", event(2, "starting"), event(3, "started"), event(9, "stopped")), T0);

        assertThat(result.transitions()).containsExactly(new Transition("started", "stopped", at(9)));
    }

    static Machine machine(String state, MachineEvent... newestLast) {
        return new Machine("m1", "m1", state, "fra", null, null, null, null, null, null, events(newestLast), null);
    }

    /** Fly lists events newest first. */
    private static List<MachineEvent> events(MachineEvent... newestLast) {
        var events = new ArrayList<>(List.of(newestLast));
        java.util.Collections.reverse(events);
        return events;
    }

    static MachineEvent event(int second, String status) {
        return new MachineEvent("e" + second, "type", status, "flyd", at(second).toEpochMilli());
    }

    static Instant at(int second) {
        return T0.plusSeconds(second);
    }
}
