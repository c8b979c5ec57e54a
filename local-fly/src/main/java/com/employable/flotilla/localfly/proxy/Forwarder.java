package com.employable.flotilla.localfly.proxy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * One request relayed to a machine's port and its answer relayed back, both streamed: the request body goes on as
 * the client sends it, and every chunk of the answer reaches the client when the machine sends it (SSE). Shared by
 * the Fly-Proxy emulation and the private network ({@code 6PN}) route, which differ only in how they pick the machine
 * and in the headers Fly's proxy adds.
 *
 * <p>The call is made on the thread that handles the exchange, blocking (OkHttp's synchronous call over pooled HTTP/1.1
 * connections): the JDK client's asynchronous pipeline passed every request across three more threads, and that was
 * most of the proxy's CPU per request. A connect failure is retried once, as nothing was sent; a failure after the
 * request went out is a 502 and is never retried (the body is one-shot, see {@link StreamedBody}), since a proxy must
 * not replay a request the machine may have applied (RFC 9110 §9.2.2).
 */
public final class Forwarder {

    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive", "host", "te");

    /** The methods OkHttp sends only with a body (an empty one when the client sent none). */
    private static final Set<String> BODY_REQUIRED = Set.of("POST", "PUT", "PATCH", "PROPPATCH", "REPORT");

    private final OkHttpClient client = new OkHttpClient.Builder()
            .protocols(List.of(Protocol.HTTP_1_1))
            .connectTimeout(Duration.ofSeconds(5))
            // a machine may take any time to answer, and an SSE stream may idle for long
            .readTimeout(Duration.ZERO)
            .writeTimeout(Duration.ZERO)
            .followRedirects(false)
            .followSslRedirects(false)
            // idle connections are dropped before a machine's server would close them under us (Tomcat: 20 s and up)
            .connectionPool(new ConnectionPool(256, 15, TimeUnit.SECONDS))
            // only synchronous calls here; the dispatcher's limits apply to asynchronous ones
            .dispatcher(new Dispatcher())
            .addNetworkInterceptor(ExactHeaders.INSTANCE)
            .build();

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
        var request = new Request.Builder().url(HttpUrl.get("http://127.0.0.1:" + port + pathAndQuery));
        var headers = new okhttp3.Headers.Builder();
        incoming.forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> headers.addUnsafeNonAscii(name, value));
            }
        });
        addedRequestHeaders.forEach(headers::addUnsafeNonAscii);
        request.headers(headers.build());
        request.tag(ExactHeaders.Sent.class, ExactHeaders.Sent.of(incoming));
        request.method(method, body(method, incoming, exchange.getRequestBody()));
        Response response;
        try {
            response = execute(request.build());
        } catch (IOException e) {
            fail(
                    exchange,
                    502,
                    "machine " + machineId + " did not answer: " + e.getClass().getSimpleName());
            return;
        }
        relay(exchange, response, addedResponseHeaders);
    }

    /** Retries once a connection that was never made: not one byte of the request left. */
    private Response execute(Request request) throws IOException {
        try {
            return client.newCall(request).execute();
        } catch (ConnectException refused) {
            return client.newCall(request).execute();
        }
    }

    /**
     * The client's body as it arrives, with its length when it gave one. Never read whole first: a large or slow
     * upload reaches the machine as it comes. None for a request without one (OkHttp wants an empty one on a POST).
     */
    private static okhttp3.RequestBody body(String method, Headers headers, InputStream in) {
        String length = headers.getFirst("Content-Length");
        boolean chunked = headers.containsKey("Transfer-Encoding");
        if (chunked || (length != null && !"0".equals(length.trim()))) {
            return new StreamedBody(in, chunked ? -1 : Long.parseLong(length.trim()));
        }
        return BODY_REQUIRED.contains(method) ? okhttp3.RequestBody.create(new byte[0]) : null;
    }

    private static void relay(HttpExchange exchange, Response response, Map<String, String> added) throws IOException {
        try (response) {
            var responseHeaders = exchange.getResponseHeaders();
            okhttp3.Headers upstream = response.headers();
            for (int i = 0; i < upstream.size(); i++) {
                String name = upstream.name(i);
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    responseHeaders.add(name, upstream.value(i));
                }
            }
            added.forEach(responseHeaders::set);
            int status = response.code();
            boolean empty = status == 204 || status == 304 || "HEAD".equals(exchange.getRequestMethod());
            String declared = upstream.get("Content-Length");
            long length = declared == null ? -1 : Long.parseLong(declared.trim());
            // a known length goes on as is; otherwise chunks, each flushed as it comes
            exchange.sendResponseHeaders(status, empty ? -1 : length > 0 ? length : length == 0 ? -1 : 0);
            if (empty || length == 0) {
                return;
            }
            ResponseBody body = response.body();
            try (InputStream in = body.byteStream()) {
                OutputStream out = exchange.getResponseBody();
                byte[] buffer = new byte[8192];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    // SSE: each event must reach the client when the machine sends it
                    out.flush();
                }
            } catch (IOException clientGone) {
                // the client (or the machine) hung up mid-stream: nothing left to deliver
            }
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
}
