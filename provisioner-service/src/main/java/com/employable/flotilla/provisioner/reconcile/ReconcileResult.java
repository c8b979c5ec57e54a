package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.team.TeamStatus;
import java.time.Duration;
import java.util.List;

/** How a reconcile ended, with the status to write: the controller records it and tells the scheduler what next. */
sealed interface ReconcileResult {

    /** Nothing to do until a new event: awaiting the create, deleted, or failed for good. */
    record Skipped() implements ReconcileResult {}

    /**
     * Fly matches the desired state; announce it.
     *
     * @param revisitAfter when something (a health repair) becomes due, null if nothing does
     */
    record Converged(TeamStatus status, List<Machine> machines, String region, Duration revisitAfter)
            implements ReconcileResult {}

    record Deprovisioned(TeamStatus status) implements ReconcileResult {}

    /** On the way: run again after {@code after}. */
    record Requeue(TeamStatus status, Duration after, String reason) implements ReconcileResult {}

    /** Retried when the status' next attempt is due (never, when not retryable). */
    record Failed(TeamStatus status, String stage, String error, boolean retryable) implements ReconcileResult {}
}
