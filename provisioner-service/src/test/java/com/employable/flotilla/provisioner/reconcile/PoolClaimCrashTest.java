package com.employable.flotilla.provisioner.reconcile;

import static com.employable.flotilla.provisioner.reconcile.ReconcileHarness.POOL_APP;
import static com.employable.flotilla.provisioner.reconcile.ReconcileHarness.pooled;
import static com.employable.flotilla.provisioner.reconcile.ReconcileHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.provisioner.team.Announcement;
import com.employable.flotilla.provisioner.team.Phase;
import com.employable.flotilla.provisioner.team.TeamStatus;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A kill -9 at every Fly call of a claimed team's first passes, for both ways a claim personalises the pool machine:
 * by update (secrets, lease, the update, its release, the wait) and by exec (secrets, the resume, the identity write,
 * the metadata). After the restart the reconcile finishes the claim in the same app. The team gets exactly one server,
 * in its pool app, with its own identity and secrets, announced once; no cold app appears.
 */
class PoolClaimCrashTest {

    static Stream<Arguments> claims() {
        Consumer<ReconcileHarness> byUpdate = harness -> assertThat(harness.fly.machinesOf(POOL_APP))
                .singleElement()
                .satisfies(machine -> assertThat(machine.config().env()).containsEntry("FLOTILLA_TEAM_ID", "acme"));
        Consumer<ReconcileHarness> byExec = harness -> {
            assertThat(harness.fly.mutations()).noneMatch(call -> call.startsWith("POST update"));
            assertThat(harness.fly.machinesOf(POOL_APP))
                    .singleElement()
                    .satisfies(machine ->
                            assertThat(harness.fly.stdinOf.get(machine.id())).contains("FLOTILLA_TEAM_ID=acme\n"));
        };
        return Stream.of(
                Arguments.of("by update", (Supplier<ReconcileHarness>) () -> claimed(false), byUpdate),
                Arguments.of("by exec", (Supplier<ReconcileHarness>) () -> claimed(true), byExec));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("claims")
    void aCrashAtAnyStepOfTheClaimIsFinishedByTheNextPass(
            String way, Supplier<ReconcileHarness> claimed, Consumer<ReconcileHarness> personalised) {
        var uninterrupted = claimed.get();
        uninterrupted.settle();
        int calls = uninterrupted.fly.calls.size();
        assertThat(calls).as("Fly calls of an uninterrupted claim").isGreaterThanOrEqualTo(8);
        for (int step = 1; step <= calls; step++) {
            var harness = claimed.get();
            harness.fly.crashAt(step);
            try {
                harness.settle();
            } catch (FakeFly.Crash expected) {
                // the provisioner died here; its reconcile state is what the store last recorded
            }
            harness.fly.restarted();

            harness.settle();

            String at = way + ", crash at Fly call " + step;
            assertThat(harness.store.status().phase()).as(at).isEqualTo(Phase.READY);
            assertThat(harness.store.announced).as(at).containsExactly("provisioned 1 machines in ams");
            assertThat(harness.fly.apps).as(at).containsOnlyKeys(POOL_APP);
            assertThat(harness.fly.machinesOf(POOL_APP)).as(at).singleElement().satisfies(machine -> {
                assertThat(machine.state()).isEqualTo("started");
                assertThat(machine.metadata()).containsEntry(MachineSpec.TEAM, "acme");
            });
            assertThat(harness.fly.secrets.get(POOL_APP)).as(at).doesNotContainValue("placeholder");
            personalised.accept(harness);
        }
    }

    /** A team that claimed a pool app, with a pool machine built for claims by update (an older one) or by exec. */
    static ReconcileHarness claimed(boolean forExec) {
        var harness = new ReconcileHarness();
        harness.team(pooled(spec("starter", false, false, Announcement.PROVISIONED)), TeamStatus.pending());
        if (forExec) {
            harness.claimedExecPoolApp();
        } else {
            harness.claimedPoolApp();
        }
        harness.fly.calls.clear();
        return harness;
    }
}
