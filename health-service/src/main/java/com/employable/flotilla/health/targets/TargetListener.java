package com.employable.flotilla.health.targets;

/** Hears which targets to probe as the registry changes. Called on the registry consumer's thread. */
public interface TargetListener {

    /** Probe this target (new, or its endpoint changed). */
    void track(ProbeTarget target);

    /** Stop probing a target. */
    void untrack(TargetKey key, Reason reason);

    /** Why a target is no longer probed. */
    enum Reason {

        /** The machine is listed but not to be probed now (stopped, team suspended, no usable endpoint). */
        NOT_PROBED,

        /** Another instance took over the registry partition the team is on. */
        RELEASED,

        /** The machine or the whole team is gone from the registry. */
        GONE
    }
}
