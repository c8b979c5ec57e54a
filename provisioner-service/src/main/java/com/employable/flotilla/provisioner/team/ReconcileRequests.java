package com.employable.flotilla.provisioner.team;

/**
 * How a recorded intent asks for a reconcile. Declared here and implemented by the scheduler, so desired state
 * depends on nobody and the reconcile depends on desired state, never the other way round.
 */
public interface ReconcileRequests {

    /** Asks for a reconcile of the team soon, continuing the given trace; cheap and safe to repeat. */
    void reconcile(String teamId, String traceParent);
}
