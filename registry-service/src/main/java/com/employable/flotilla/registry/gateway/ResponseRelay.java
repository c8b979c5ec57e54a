package com.employable.flotilla.registry.gateway;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Flow;

/**
 * Passes a team server's answer on to the client: its status and headers, then its body as it arrives (an SSE stream
 * event by event, never buffered), or drops an answer that will not be relayed.
 */
final class ResponseRelay {

    private static final Set<String> NOT_RETURNED = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "set-cookie");

    private ResponseRelay() {}

    static void relay(
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> upstream,
            HttpServletResponse response,
            Map<String, String> extraHeaders,
            ExchangeEnd end,
            String teamId)
            throws IOException {
        response.setStatus(upstream.statusCode());
        upstream.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_RETURNED.contains(lower) && !lower.startsWith(":")) {
                values.forEach(value -> response.addHeader(name, value));
            }
        });
        extraHeaders.forEach(response::setHeader);
        boolean stream = isEventStream(upstream);
        if (stream) {
            // send the headers now, so the client sees the session and the stream opening at once
            response.flushBuffer();
        }
        upstream.body().subscribe(new StreamRelay(upstream.statusCode(), response, end, teamId, stream));
    }

    /**
     * An SSE stream (MCP's standalone stream, or a request answered as a stream) is relayed event by event; any other
     * answer is one document, written as it arrives and sent when complete (or when Tomcat's buffer fills), so a small
     * answer leaves in one write with its length instead of headers, chunk and end in three.
     */
    static boolean isEventStream(HttpResponse<?> upstream) {
        return upstream.headers()
                .firstValue("Content-Type")
                .map(type -> type.regionMatches(true, 0, "text/event-stream", 0, 17))
                .orElse(false);
    }

    /** Releases the connection of an answer the gateway does not relay. */
    static void discard(HttpResponse<Flow.Publisher<List<ByteBuffer>>> upstream) {
        upstream.body().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.cancel();
            }

            @Override
            public void onNext(List<ByteBuffer> item) {}

            @Override
            public void onError(Throwable throwable) {}

            @Override
            public void onComplete() {}
        });
    }
}
