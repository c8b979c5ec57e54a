package com.employable.flotilla.provisioner.reconcile;

import static com.employable.flotilla.provisioner.reconcile.ReconcileHarness.POOL_APP;
import static com.employable.flotilla.provisioner.reconcile.ReconcileHarness.pooled;
import static com.employable.flotilla.provisioner.reconcile.ReconcileHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.provisioner.team.Announcement;
import com.employable.flotilla.provisioner.team.Phase;
import com.employable.flotilla.provisioner.team.TeamStatus;
import org.junit.jupiter.api.Test;

/**
 * A claim by exec (Fly's warm-pool blueprint): the suspended pool machine is resumed and the team's identity written
 * into it, with no update (no restart) (a crash at any step: {@link PoolClaimCrashTest}); an exec that fails falls back
 * to a claim by update; a machine still on the pool's config gets the team's full config once it
 * is stopped, without being started.
 */
class PoolClaimByExecTest {

    @Test
    void aClaimResumesTheMachineAndWritesTheTeamsIdentityWithoutAnUpdate() {
        var harness = claimed();

        harness.settle();

        assertThat(harness.store.status().phase()).isEqualTo(Phase.READY);
        assertThat(harness.fly.mutations()).noneMatch(call -> call.startsWith("POST update"));
        assertThat(harness.fly.mutations()).anyMatch(call -> call.startsWith("POST start"));
        String machineId = harness.fly.machinesOf(POOL_APP).getFirst().id();
        assertThat(harness.fly.stdinOf.get(machineId))
                .contains("FLOTILLA_TEAM_ID=acme\n")
                .contains("FLOTILLA_TEAM_TOKEN_KEY="
                        + harness.secrets.forTeam("acme", false).get(TeamSecrets.TEAM_TOKEN_KEY) + "\n")
                .contains("FLOTILLA_PROBE_TOKEN=")
                .doesNotContain("placeholder");
        assertThat(harness.fly.machinesOf(POOL_APP)).singleElement().satisfies(machine -> {
            assertThat(machine.state()).isEqualTo("started");
            assertThat(machine.metadata())
                    .containsEntry(MachineSpec.TEAM, "acme")
                    .containsKey(MachineSpec.CREATE_KEY)
                    .containsKey(MachineSpec.SPEC);
        });
        assertThat(harness.fly.secrets.get(POOL_APP)).doesNotContainValue("placeholder");
        assertThat(harness.fly.secrets.get(POOL_APP))
                .as("the same identity as an app secret, which any later boot of the machine starts with")
                .containsEntry(SecretsReconciler.IDENTITY, harness.fly.stdinOf.get(machineId));
    }

    @Test
    void aTeamsOwnAppGetsNoIdentitySecret() {
        var harness = new ReconcileHarness();
        harness.team(spec("starter", false, false, Announcement.PROVISIONED), TeamStatus.pending());

        harness.settle();

        assertThat(harness.store.status().phase()).isEqualTo(Phase.READY);
        assertThat(harness.fly.secrets.values())
                .singleElement()
                .satisfies(secrets -> assertThat(secrets)
                        .containsKey(TeamSecrets.PROBE_TOKEN)
                        .doesNotContainKey(SecretsReconciler.IDENTITY));
    }

    @Test
    void aMachineThatCannotTakeItsIdentityIsClaimedByUpdate() {
        var harness = claimed();
        harness.fly.execFails.add(harness.fly.machinesOf(POOL_APP).getFirst().id());

        harness.settle();

        assertThat(harness.store.status().phase()).isEqualTo(Phase.READY);
        assertThat(harness.fly.mutations()).anyMatch(call -> call.startsWith("POST update"));
        assertThat(harness.fly.machinesOf(POOL_APP))
                .singleElement()
                .satisfies(machine -> assertThat(machine.config().env()).containsEntry("FLOTILLA_TEAM_ID", "acme"));
    }

    @Test
    void aMachineOnThePoolConfigGetsTheTeamsConfigOnceStoppedWithoutBeingStarted() {
        var harness = claimed();
        harness.settle();
        String machineId = harness.fly.machinesOf(POOL_APP).getFirst().id();
        harness.fly.setState(POOL_APP, machineId, "stopped");
        harness.fly.calls.clear();

        harness.settle();

        assertThat(harness.fly.mutations()).anyMatch(call -> call.startsWith("POST update " + machineId));
        assertThat(harness.fly.mutations()).noneMatch(call -> call.startsWith("POST start"));
        assertThat(harness.fly.machinesOf(POOL_APP)).singleElement().satisfies(machine -> {
            assertThat(machine.state()).isEqualTo("stopped");
            assertThat(machine.config().env()).containsEntry("FLOTILLA_TEAM_ID", "acme");
        });
    }

    @Test
    void aPlanOfAnotherShapeIsClaimedByUpdate() {
        var harness = new ReconcileHarness();
        harness.team(pooled(spec("team", false, false, Announcement.PROVISIONED)), TeamStatus.pending())
                .claimedExecPoolApp();

        harness.settle();

        assertThat(harness.fly.mutations()).anyMatch(call -> call.startsWith("POST update"));
        assertThat(harness.fly.stdinOf).isEmpty();
    }

    private static ReconcileHarness claimed() {
        return PoolClaimCrashTest.claimed(true);
    }
}
