package com.employable.flotilla.registry.discovery;

/**
 * The latest server-level outcome the provisioner reported for a team.
 *
 * @param kind what happened
 * @param key where it sits in the team's history
 * @param failure what went wrong, for {@link Kind#FAILED}
 */
record Phase(Kind kind, OrderKey key, Failure failure) {

    enum Kind {
        /** Provisioned, updated or resumed: the server is meant to run. */
        RUNNING,
        /** The latest reconcile attempt failed. */
        FAILED,
        /** The team is suspended; its machines are stopped on purpose. */
        SUSPENDED,
        /** The team's app is gone. */
        DEPROVISIONED
    }

    boolean is(Kind other) {
        return kind == other;
    }
}
