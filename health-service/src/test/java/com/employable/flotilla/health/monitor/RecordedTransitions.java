package com.employable.flotilla.health.monitor;

import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.health.targets.TargetKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The transitions a monitor decided, in order, for a test that needs no database or broker behind them. */
final class RecordedTransitions implements Transitions {

    private final List<HealthChanged> published = new CopyOnWriteArrayList<>();

    @Override
    public void publish(HealthChanged change) {
        published.add(change);
    }

    @Override
    public HealthStatus lastPublished(TargetKey key) {
        return HealthStatus.UNKNOWN;
    }

    @Override
    public void forget(TargetKey key) {}

    List<HealthStatus> statuses() {
        return published.stream().map(HealthChanged::status).toList();
    }

    List<HealthChanged> published() {
        return List.copyOf(published);
    }
}
