package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.team.Condition.State;
import com.employable.flotilla.provisioner.team.TeamStatus;
import java.time.Duration;
import java.util.List;

/**
 * What one resource's reconcile did. A step with {@code requeueAfter} ends the pass: what comes after it needs a
 * fresh observation (or the resource is still on its way), and the scheduler runs the team again after that delay.
 *
 * @param status       the team's status after this step, null when the step did not change it
 * @param revisitAfter the pass goes on, but something becomes due later: the team is reconciled again then
 * @param machines     the app's machines as read again after this step changed them, for the resources after it (the
 *                     pass goes on without a new observation); null when the step changed none, or ends the pass
 */
record Step(
        State state,
        String did,
        Duration requeueAfter,
        TeamStatus status,
        Duration revisitAfter,
        List<Machine> machines) {

    Step(State state, String did, Duration requeueAfter, TeamStatus status, Duration revisitAfter) {
        this(state, did, requeueAfter, status, revisitAfter, null);
    }

    Step(State state, String did, Duration requeueAfter, TeamStatus status) {
        this(state, did, requeueAfter, status, null);
    }

    /** Machines changed, and read again: the pass goes on with them instead of waiting for a new observation. */
    static Step changedAndRead(String did, TeamStatus status, List<Machine> machines) {
        return new Step(State.CHANGED, did, null, status, null, List.copyOf(machines));
    }

    static Step inSync() {
        return new Step(State.IN_SYNC, "nothing to do", null, null);
    }

    static Step inSync(TeamStatus status) {
        return new Step(State.IN_SYNC, "nothing to do", null, status);
    }

    static Step changed(String did) {
        return new Step(State.CHANGED, did, null, null);
    }

    static Step changed(String did, TeamStatus status) {
        return new Step(State.CHANGED, did, null, status);
    }

    /** Changed, and whatever follows must see Fly as it is now. */
    static Step observeAgain(String did, TeamStatus status) {
        return new Step(State.CHANGED, did, Duration.ZERO, status);
    }

    static Step waiting(String why, Duration after) {
        return new Step(State.WAITING, why, after, null);
    }

    static Step waiting(String why, Duration after, TeamStatus status) {
        return new Step(State.WAITING, why, after, status);
    }

    /** Nothing to do now; something becomes due after the given time. */
    static Step dueIn(String what, Duration after) {
        return new Step(State.WAITING, what, null, null, after);
    }

    boolean endsPass() {
        return requeueAfter != null;
    }
}
