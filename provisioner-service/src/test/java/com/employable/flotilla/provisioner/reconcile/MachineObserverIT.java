package com.employable.flotilla.provisioner.reconcile;

import static com.employable.flotilla.provisioner.reconcile.MachineTransitionsTest.at;
import static com.employable.flotilla.provisioner.reconcile.MachineTransitionsTest.event;
import static com.employable.flotilla.provisioner.reconcile.MachineTransitionsTest.machine;
import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.outbox.Outbox;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.support.ProvisionerItBase;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Billing's view of a machine that slept and woke between two listings, on the real broker and PostgreSQL: every
 * transition is published, in Fly's order with Fly's timestamps, once, also when the same listings are observed
 * again after a restart or arrive late.
 */
class MachineObserverIT extends ProvisionerItBase {

    @Autowired
    MachineObserver observer;

    @Autowired
    Outbox outbox;

    @Autowired
    ProvisionerProperties properties;

    @Test
    void aSuspendAndAWakeBetweenTwoListingsAreEachPublishedOnceWithFlysTimes() {
        String team = newTeamId("meter");
        String app = "flotilla-team-" + team;
        Machine firstListing = machine("started", event(1, "created"), event(2, "starting"), event(3, "started"));
        // the listing after: started again, but it was suspended for 40 s in between
        Machine secondListing = machine(
                "started",
                event(1, "created"),
                event(2, "starting"),
                event(3, "started"),
                event(50, "suspended"),
                event(90, "starting"),
                event(91, "started"));

        observer.observe(team, app, List.of(firstListing));
        observer.observe(team, app, List.of(secondListing));
        // a restarted instance lists the same again, and a reconcile's older listing arrives late
        var restarted = new MachineObserver(jdbc, outbox, Clock.systemUTC(), properties);
        restarted.observe(team, app, List.of(secondListing));
        restarted.observe(team, app, List.of(firstListing));

        awaitOutcome(team, MachineStateChanged.TYPE, 6);
        List<MachineStateChanged> published = outcomesSoFar(team, MachineStateChanged.TYPE, Duration.ofSeconds(2));
        assertThat(published)
                .extracting(change -> change.from() + " -> " + change.to() + " at " + change.at())
                .containsExactly(
                        "null -> created at " + at(1),
                        "created -> starting at " + at(2),
                        "starting -> started at " + at(3),
                        "started -> suspended at " + at(50),
                        "suspended -> starting at " + at(90),
                        "starting -> started at " + at(91));
    }
}
