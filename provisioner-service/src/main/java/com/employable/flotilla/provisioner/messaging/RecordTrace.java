package com.employable.flotilla.provisioner.messaging;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The consumer span of one record of a batch. The OpenTelemetry agent traces a batch listener's poll as one span
 * linked to its records, in a trace of its own; each record's event is recorded under a span of its own instead,
 * child of the record's {@code traceparent}, so the event's trace goes on through the reconcile (Fly calls, the
 * outcome), as it did with one record per delivery. Without the agent this is a no-op.
 */
final class RecordTrace {

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private RecordTrace() {}

    /** Starts the record's span and makes it current; closing the scope ends it. */
    static Scope process(ConsumerRecord<?, ?> record) {
        OpenTelemetry telemetry = GlobalOpenTelemetry.get();
        Context parent =
                telemetry.getPropagators().getTextMapPropagator().extract(Context.current(), record.headers(), HEADERS);
        Span span = telemetry
                .getTracer("flotilla-provisioner")
                .spanBuilder(record.topic() + " process")
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", String.valueOf(record.partition()))
                .setAttribute("messaging.kafka.message.offset", record.offset())
                .startSpan();
        Scope scope = parent.with(span).makeCurrent();
        return () -> {
            scope.close();
            span.end();
        };
    }
}
