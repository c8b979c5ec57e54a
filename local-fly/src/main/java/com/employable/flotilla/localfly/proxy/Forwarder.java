package com.employable.flotilla.localfly.proxy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One request relayed to a machine's port and its answer relayed back, both streamed: the request body goes on as
 * the client sends it, and every chunk of the answer reaches the client when the machine sends it (SSE). Shared by
 * the Fly-Proxy emulation and the private network ({@code 6PN}) route, which differ only in how they pick the machine
 * and in the headers Fly's proxy adds.
 *
 * <p>The exchange with the machine is made on the thread that handles the client's, blocking, over pooled HTTP/1.1
 * keep-alive connections ({@link MachineConnections}): plain HTTP on loopback needs no more. The JDK client's
 * asynchronous pipeline passed every request across three more threads, and OkHttp woke its pool's cleanup thread and
 * took process-wide locks on every call: each was most of the proxy's CPU per request. A connection that was never
 * made is retried once, as nothing was sent; so is a request on a pooled connection the machine had closed, when
 * nothing came back and it can be sent again whole (an idempotent method and a body, if any, that is all in hand);
 * any other failure after the request went out is a 502 and is never retried, since a proxy must not replay a request
 * the machine may have applied (RFC 9110 §9.2.2).
 */
public final class Forwarder implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive", "host", "te");

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

    /** A body up to this size is kept while it is sent, so it can be sent again on a fresh connection. */
    private static final int REPLAYABLE = 8192;

    private final MachineConnections connections = new MachineConnections();

    /**
     * Relays the exchange to {@code pathAndQuery} on the loopback port, adding {@code addedRequestHeaders} and
     * {@code addedResponseHeaders}; answers 502 in JSON when the machine does not answer.
     */
    void forward(
            HttpExchange exchange,
            int port,
            String pathAndQuery,
            String machineId,
            Map<String, String> addedRequestHeaders,
            Map<String, String> addedResponseHeaders)
            throws IOException {
        Headers incoming = exchange.getRequestHeaders();
        String method = exchange.getRequestMethod();
        List<String[]> headers = new ArrayList<>(incoming.size() + 3);
        incoming.forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> headers.add(new String[] {name, value}));
            }
        });
        addedRequestHeaders.forEach((name, value) -> headers.add(new String[] {name, value}));
        String length = incoming.getFirst("Content-Length");
        boolean chunked = incoming.containsKey("Transfer-Encoding");
        RequestBody body = chunked || (length != null && !"0".equals(length.trim()))
                ? new RequestBody(exchange.getRequestBody(), chunked)
                : null;
        if (chunked) {
            headers.add(new String[] {"Transfer-Encoding", "chunked"});
        } else if (body != null) {
            headers.add(new String[] {"Content-Length", length.trim()});
        } else if (!IDEMPOTENT.contains(method)) {
            headers.add(new String[] {"Content-Length", "0"});
        }
        MachineConnection connection = null;
        MachineConnection.ResponseHead head = null;
        for (int attempt = 1; head == null; attempt++) {
            try {
                connection = connections.acquire(port);
            } catch (ConnectException refused) {
                if (attempt == 1) {
                    continue;
                }
                fail(
                        exchange,
                        502,
                        "machine " + machineId + " did not answer: "
                                + refused.getClass().getSimpleName());
                return;
            }
            try {
                connection.writeHead(method, pathAndQuery, headers);
                if (body != null) {
                    body.sendTo(connection.out);
                }
                connection.out.flush();
                head = connection.readHead(method);
            } catch (IOException | RuntimeException e) {
                connection.close();
                boolean resend = connection.reused
                        && attempt == 1
                        && IDEMPOTENT.contains(method)
                        && (body == null || body.replayable());
                if (!resend) {
                    fail(
                            exchange,
                            502,
                            "machine " + machineId + " did not answer: "
                                    + e.getClass().getSimpleName());
                    return;
                }
            }
        }
        relay(exchange, connection, head, addedResponseHeaders);
    }

    private void relay(
            HttpExchange exchange,
            MachineConnection connection,
            MachineConnection.ResponseHead head,
            Map<String, String> added)
            throws IOException {
        var responseHeaders = exchange.getResponseHeaders();
        for (String[] header : head.headers()) {
            if (!HOP_BY_HOP.contains(header[0].toLowerCase(Locale.ROOT))) {
                responseHeaders.add(header[0], header[1]);
            }
        }
        added.forEach(responseHeaders::set);
        int status = head.status();
        boolean empty = status == 204 || status == 304 || "HEAD".equals(exchange.getRequestMethod());
        long length = head.chunked() ? -1 : head.length();
        // a known length goes on as is; otherwise chunks, each flushed as it comes
        exchange.sendResponseHeaders(status, empty ? -1 : length > 0 ? length : length == 0 ? -1 : 0);
        var in = new MachineBody(connection, head);
        try {
            if (!empty && length != 0) {
                OutputStream out = exchange.getResponseBody();
                byte[] buffer = new byte[8192];
                int read;
                while ((read = in.read(buffer, 0, buffer.length)) >= 0) {
                    out.write(buffer, 0, read);
                    // SSE: each event must reach the client when the machine sends it
                    out.flush();
                }
            }
        } catch (IOException clientGone) {
            // the client (or the machine) hung up mid-stream: nothing left to deliver
        }
        if (in.complete() && head.keepAlive()) {
            connections.release(connection);
        } else {
            connection.close();
        }
    }

    /** An answer of the proxy itself, in Fly's error shape. */
    static void fail(HttpExchange exchange, int status, String message) throws IOException {
        byte[] bytes = ("{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "'") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        connections.close();
    }

    /**
     * The client's body, written to the machine as it arrives (a large or slow upload reaches the machine as it
     * comes), chunked again if it came chunked. While it fits in {@link #REPLAYABLE} bytes it is also kept, so that
     * it can be sent once more on a fresh connection.
     */
    private static final class RequestBody {

        private final InputStream in;

        private final boolean chunked;

        private byte[] kept = new byte[0];

        private boolean whole;

        private boolean overflowed;

        RequestBody(InputStream in, boolean chunked) {
            this.in = in;
            this.chunked = chunked;
        }

        boolean replayable() {
            return whole && !overflowed;
        }

        void sendTo(OutputStream out) throws IOException {
            if (whole) {
                write(out, kept, kept.length);
                end(out);
                return;
            }
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (!overflowed && kept.length + read <= REPLAYABLE) {
                    kept = Arrays.copyOf(kept, kept.length + read);
                    System.arraycopy(buffer, 0, kept, kept.length - read, read);
                } else {
                    overflowed = true;
                }
                write(out, buffer, read);
                // a slow upload reaches the machine as it comes
                out.flush();
            }
            // only now can it be sent again: a send that broke off midway left it neither whole nor replayable
            whole = true;
            end(out);
        }

        private void write(OutputStream out, byte[] bytes, int length) throws IOException {
            if (length == 0) {
                return;
            }
            if (chunked) {
                out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(bytes, 0, length);
                out.write(CRLF);
            } else {
                out.write(bytes, 0, length);
            }
        }

        private void end(OutputStream out) throws IOException {
            if (chunked) {
                out.write(LAST_CHUNK);
            }
        }

        private static final byte[] CRLF = {'\r', '\n'};

        private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};
    }
}
