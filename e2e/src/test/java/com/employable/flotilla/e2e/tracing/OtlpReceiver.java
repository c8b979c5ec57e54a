package com.employable.flotilla.e2e.tracing;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A minimal OTLP/HTTP (protobuf) trace receiver: what a collector or Jaeger would get from the agents. */
final class OtlpReceiver implements AutoCloseable {

    /** One received span with the service that sent it. */
    record ReceivedSpan(String service, String scope, Span span) {

        String traceId() {
            return hex(span.getTraceId().toByteArray());
        }

        String attribute(String key) {
            return span.getAttributesList().stream()
                    .filter(a -> a.getKey().equals(key))
                    .findFirst()
                    .map(a -> a.getValue().toString())
                    .orElse(null);
        }
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (exchange) {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(
                        exchange.getRequestBody().readAllBytes());
                for (ResourceSpans rs : request.getResourceSpansList()) {
                    String service = rs.getResource().getAttributesList().stream()
                            .filter(a -> a.getKey().equals("service.name"))
                            .findFirst()
                            .map(a -> a.getValue().getStringValue())
                            .orElse("?");
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        for (Span span : ss.getSpansList()) {
                            spans.add(new ReceivedSpan(service, ss.getScope().getName(), span));
                        }
                    }
                }
                byte[] body = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ReceivedSpan> spans() {
        return new ArrayList<>(spans);
    }

    /** Every attribute value of every span (span, event and link attributes), for the secret scan. */
    List<String> allAttributeValues() {
        List<String> values = new ArrayList<>();
        for (ReceivedSpan s : spans) {
            s.span().getAttributesList().stream()
                    .map(KeyValue::getValue)
                    .map(Object::toString)
                    .forEach(values::add);
            s.span()
                    .getEventsList()
                    .forEach(e -> e.getAttributesList()
                            .forEach(a -> values.add(a.getValue().toString())));
            s.span()
                    .getLinksList()
                    .forEach(l -> l.getAttributesList()
                            .forEach(a -> values.add(a.getValue().toString())));
            values.add(s.span().getName());
        }
        return values;
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
