package com.employable.flotilla.health.targets;

/** Hears which targets to probe as the registry changes. Called on the registry consumer's thread. */
public interface TargetListener {

    /** Probe this target (new, woken, or its endpoint changed), starting as {@code start} says. */
    void track(ProbeTarget target, Start start);

    /** Stop probing a target. */
    void untrack(TargetKey key, Reason reason);

    /** When the first probe of a target this listener is told to track runs. */
    enum Start {

        /**
         * At once: the machine has just become probe-able (registered for the first time, or started again: a wake),
         * so it is checked at the MCP level right away and its first good answer is known within milliseconds.
         */
        NOW,

        /**
         * At the target's slot in the interval: a machine already probed, or one this instance takes over on a start
         * or a rebalance (which would otherwise probe thousands of servers in one burst).
         */
        ON_SCHEDULE
    }

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
