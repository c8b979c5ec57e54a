package com.employable.flotilla.common.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * A trace that must survive a hand-over between threads or a trip through the database (the outbox, the provisioner's
 * reconcile queue), as a W3C {@code traceparent} string. With the OpenTelemetry agent attached, the API calls here are
 * bridged to the agent; without it they are no-ops and {@link #current()} is null.
 */
public final class TraceParent {

    private TraceParent() {}

    /** The current span as {@code 00-<trace id>-<span id>-<flags>}, or null when nothing is being traced. */
    public static String current() {
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
                + span.getTraceFlags().asHex();
    }

    /**
     * Makes {@code traceparent} the parent of whatever is traced until the scope closes (Kafka sends, HTTP calls);
     * a null or malformed value changes nothing.
     */
    public static Scope resume(String traceparent) {
        if (traceparent == null || traceparent.length() != 55 || !traceparent.startsWith("00-")) {
            return Scope.noop();
        }
        String traceId = traceparent.substring(3, 35);
        String spanId = traceparent.substring(36, 52);
        SpanContext parent = SpanContext.createFromRemoteParent(
                traceId, spanId, TraceFlags.fromHex(traceparent, 53), TraceState.getDefault());
        if (!parent.isValid()) {
            return Scope.noop();
        }
        return Context.current().with(Span.wrap(parent)).makeCurrent();
    }
}
