package com.employable.flotilla.health.monitor;

import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.health.targets.TargetKey;

/** Where health transitions go once decided, and what was last published before this process started. */
public interface Transitions {

    /** Publishes a transition; asynchronous, in order per target. */
    void publish(HealthChanged change);

    /** The status last published for a target, {@link HealthStatus#UNKNOWN} if none. */
    HealthStatus lastPublished(TargetKey key);

    /** The target is gone for good: forget what was published about it. */
    void forget(TargetKey key);
}
