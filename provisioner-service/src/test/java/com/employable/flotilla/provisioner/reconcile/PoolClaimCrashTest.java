package com.employable.flotilla.provisioner.reconcile;

import static com.employable.flotilla.provisioner.reconcile.ReconcileHarness.POOL_APP;
import static com.employable.flotilla.provisioner.reconcile.ReconcileHarness.pooled;
import static com.employable.flotilla.provisioner.reconcile.ReconcileHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.provisioner.team.Announcement;
import com.employable.flotilla.provisioner.team.Phase;
import com.employable.flotilla.provisioner.team.TeamStatus;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A kill -9 at every Fly call of a claimed team's first passes (secrets, lease, the update that personalises the
 * machine, its release, the wait): after the restart the reconcile finishes the claim in the same app. The team gets
 * exactly one server, in its pool app, with its own identity and secrets, announced once; no cold app appears.
 */
class PoolClaimCrashTest {

    @Test
    void aCrashAtAnyStepOfTheClaimIsFinishedByTheNextPass() {
        var uninterrupted = claimed();
        runUntilSettled(uninterrupted);
        int calls = uninterrupted.fly.calls.size();
        assertThat(calls).as("Fly calls of an uninterrupted claim").isGreaterThanOrEqualTo(8);
        for (int step = 1; step <= calls; step++) {
            var harness = claimed();
            harness.fly.crashAt(step);
            try {
                runUntilSettled(harness);
            } catch (FakeFly.Crash expected) {
                // the provisioner died here; its reconcile state is what the store last recorded
            }
            harness.fly.restarted();

            runUntilSettled(harness);

            String at = "crash at Fly call " + step;
            assertThat(harness.store.status().phase()).as(at).isEqualTo(Phase.READY);
            assertThat(harness.store.announced).as(at).containsExactly("provisioned 1 machines in ams");
            assertThat(harness.fly.apps).as(at).containsOnlyKeys(POOL_APP);
            assertThat(harness.fly.machinesOf(POOL_APP)).as(at).singleElement().satisfies(machine -> {
                assertThat(machine.state()).isEqualTo("started");
                assertThat(machine.metadata()).containsEntry(MachineSpec.TEAM, "acme");
                assertThat(machine.config().env()).containsEntry("FLOTILLA_TEAM_ID", "acme");
            });
            assertThat(harness.fly.secrets.get(POOL_APP)).as(at).doesNotContainValue("placeholder");
        }
    }

    private static ReconcileHarness claimed() {
        var harness = new ReconcileHarness();
        harness.team(pooled(spec("starter", false, false, Announcement.PROVISIONED)), TeamStatus.pending())
                .claimedPoolApp();
        harness.fly.calls.clear();
        return harness;
    }

    /** Passes as the scheduler runs them: again while a pass asks to be requeued (at most a bounded number). */
    private static void runUntilSettled(ReconcileHarness harness) {
        for (int pass = 0; pass < 10; pass++) {
            Optional<Duration> again = harness.reconcile();
            if (again.isEmpty() && harness.store.status().nextAttemptAt() == null) {
                return;
            }
        }
    }
}
