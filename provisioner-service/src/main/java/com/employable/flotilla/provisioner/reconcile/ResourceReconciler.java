package com.employable.flotilla.provisioner.reconcile;

/**
 * Converges one resource of a team's app: compares the desired state against the observed snapshot, changes Fly
 * only where they differ, and says what it did. Idempotent: the same observation always leads to the same calls.
 */
interface ResourceReconciler {

    /** The stage name failures and conditions carry. */
    String resource();

    Step reconcile(ReconcileContext context);
}
