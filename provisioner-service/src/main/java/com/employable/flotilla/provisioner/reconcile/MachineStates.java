package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Machine states as the reconcile reads them, and the one bounded wait a pass may spend on a machine: instead of
 * blocking a worker until a machine gets somewhere, a pass asks Fly once (at most {@link #ONE_WAIT}) and otherwise
 * requeues; the start timeout is measured from the machine's own last change on Fly, so it survives requeues and
 * restarts.
 */
@Component
class MachineStates {

    /** Long enough for a warm start to answer in the same pass, short enough to free the worker soon. */
    static final Duration ONE_WAIT = Duration.ofSeconds(5);
    /** How soon a pass waiting on a machine looks again. */
    static final Duration RECHECK = Duration.ofSeconds(1);

    private final TeamFly fly;
    private final Duration startTimeout;

    MachineStates(TeamFly fly, ProvisionerProperties properties) {
        this.fly = fly;
        this.startTimeout = properties.startTimeout();
    }

    /** One wait on Fly's side: whether the machine got to the state (Fly's {@code a,b} means either). */
    boolean reached(String app, String machineId, String state) {
        Duration timeout = startTimeout.compareTo(ONE_WAIT) < 0 ? startTimeout : ONE_WAIT;
        return fly.waitFor(app, machineId, state, timeout);
    }

    /** A machine that has been on its way longer than the start timeout is a failure (retried with back-off). */
    void requireWithinTimeout(Machine machine, String state, Instant now) {
        if (machine.changedAt(now).plus(startTimeout).isBefore(now)) {
            throw new StepFailure(
                    "machine " + machine.id() + " did not reach " + state + " within " + startTimeout.toSeconds()
                            + " s",
                    true);
        }
    }

    static boolean isRunning(String state) {
        return "started".equals(state) || "starting".equals(state);
    }

    static boolean isStartable(String state) {
        return "stopped".equals(state)
                || "suspended".equals(state)
                || "created".equals(state)
                || "failed".equals(state);
    }
}
