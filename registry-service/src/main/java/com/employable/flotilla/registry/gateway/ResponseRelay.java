package com.employable.flotilla.registry.gateway;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import okhttp3.Headers;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes a team server's answer on to the client: its status and headers, then its body as it arrives (an SSE stream
 * event by event, never buffered), on the exchange's own thread. A read returns what the server has sent so far, so
 * each event is written (and flushed) when it comes; a slow client blocks the write, and so slows the team server down
 * instead of filling the gateway's memory.
 */
final class ResponseRelay {

    private static final Logger log = LoggerFactory.getLogger(ResponseRelay.class);

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
            Response upstream,
            HttpServletResponse response,
            Map<String, String> extraHeaders,
            ExchangeEnd end,
            String teamId)
            throws IOException {
        try (upstream) {
            response.setStatus(upstream.code());
            Headers headers = upstream.headers();
            for (int i = 0; i < headers.size(); i++) {
                String name = headers.name(i);
                String lower = name.toLowerCase(Locale.ROOT);
                if (!NOT_RETURNED.contains(lower) && !lower.startsWith(":")) {
                    response.addHeader(name, headers.value(i));
                }
            }
            extraHeaders.forEach(response::setHeader);
            boolean stream = isEventStream(upstream);
            if (stream) {
                // send the headers now, so the client sees the session and the stream opening at once
                response.flushBuffer();
            }
            copy(upstream, response, end, teamId, stream);
        }
    }

    /**
     * An SSE stream (MCP's standalone stream, or a request answered as a stream) is flushed event by event; any other
     * answer is one document, written as it arrives and sent when complete (or when Tomcat's buffer fills), so a small
     * answer leaves in one write with its length instead of headers, chunk and end in three.
     */
    static boolean isEventStream(Response upstream) {
        String type = upstream.header("Content-Type");
        return type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17);
    }

    private static void copy(
            Response upstream, HttpServletResponse response, ExchangeEnd end, String teamId, boolean flushEachChunk) {
        OutputStream out;
        try {
            out = response.getOutputStream();
        } catch (IOException | IllegalStateException gone) {
            end.abort("client-gone");
            return;
        }
        byte[] buffer = new byte[8192];
        InputStream in = upstream.body().byteStream();
        while (true) {
            int read;
            try {
                read = in.read(buffer);
            } catch (IOException failure) {
                // cancelled by the exchange's end (then already finished), or the team server broke off
                log.debug("team {}'s stream ended abruptly: {}", teamId, failure.toString());
                end.relayed("upstream-aborted");
                return;
            }
            if (read < 0) {
                end.relayed(String.valueOf(upstream.code() / 100) + "xx");
                return;
            }
            try {
                out.write(buffer, 0, read);
                if (flushEachChunk) {
                    out.flush();
                }
            } catch (IOException | IllegalStateException clientGone) {
                end.abort("client-gone");
                return;
            }
        }
    }
}
