package com.employable.flotilla.provisioner.team;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.team.TeamLifecycleEvent;
import io.opentelemetry.context.Scope;
import java.util.function.Supplier;

/**
 * A lifecycle event as consumed, with the trace of the record that carried it: made current while the event is
 * recorded, so the reconcile it asks for continues that record's trace, not the poll's.
 *
 * @param envelope the decoded event
 * @param trace    opens the record's trace (closed once the event is recorded)
 */
public record ConsumedEvent(EventEnvelope<TeamLifecycleEvent> envelope, Supplier<Scope> trace) {

    /** An event recorded in whatever trace is current. */
    public static ConsumedEvent untraced(EventEnvelope<TeamLifecycleEvent> envelope) {
        return new ConsumedEvent(envelope, Scope::noop);
    }
}
