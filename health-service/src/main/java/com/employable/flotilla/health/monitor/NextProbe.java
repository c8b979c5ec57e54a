package com.employable.flotilla.health.monitor;

/** When a target is probed next, as its latest result and verdict decide. */
enum NextProbe {

    /** At its next slot, at least half an interval away: the verdict agrees with what the probe saw. */
    ON_SCHEDULE,

    /** A quarter interval (or less) after the last probe started: the verdict has not caught up with a change yet. */
    CONFIRM,

    /** A startup interval after the last probe started: the machine has just started and has not answered yet. */
    RETRY_STARTUP
}
