package com.employable.flotilla.localfly.proxy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One request relayed to a machine's port and its answer relayed back, both streamed: the request body goes on as
 * the client sends it, and every chunk of the answer reaches the client when the machine sends it (SSE). Shared by
 * the Fly-Proxy emulation and the private network ({@code 6PN}) route, which differ only in how they pick the machine
 * and in the headers Fly's proxy adds.
 *
 * <p>Connections to machines are pooled by the JDK client (HTTP/1.1, no h2c upgrade attempt). A connect failure is
 * retried once by that client, as nothing was sent (the body is never handed out twice, see {@link RequestBodyPump});
 * a failure after the request went out is a 502 and is never retried, since a proxy must not replay a request the
 * machine may have applied (RFC 9110 §9.2.2).
 */
public final class Forwarder {

    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive", "host", "te");

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
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
        RequestBodyPump body = hasBody(exchange.getRequestHeaders()) ? new RequestBodyPump() : null;
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .method(exchange.getRequestMethod(), publisher(exchange.getRequestHeaders(), body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        addedRequestHeaders.forEach(request::header);
        CompletableFuture<HttpResponse<InputStream>> pending =
                client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (body != null) {
            body.pump(exchange.getRequestBody(), pending::isDone);
        }
        HttpResponse<InputStream> response;
        try {
            response = pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.cancel(true);
            fail(exchange, 502, "interrupted");
            return;
        } catch (ExecutionException e) {
            fail(
                    exchange,
                    502,
                    "machine " + machineId + " did not answer: "
                            + e.getCause().getClass().getSimpleName());
            return;
        }
        relay(exchange, response, addedResponseHeaders);
    }

    /** A body announced by its length (not zero) or as chunked; none otherwise. */
    private static boolean hasBody(Headers headers) {
        String length = headers.getFirst("Content-Length");
        return headers.containsKey("Transfer-Encoding") || (length != null && !"0".equals(length.trim()));
    }

    /**
     * The client's body as it arrives, with its length when it gave one. Never read whole first: a large or slow
     * upload reaches the machine as it comes.
     */
    private static BodyPublisher publisher(Headers headers, RequestBodyPump body) {
        if (body == null) {
            return BodyPublishers.noBody();
        }
        return headers.containsKey("Transfer-Encoding")
                ? BodyPublishers.fromPublisher(body)
                : BodyPublishers.fromPublisher(
                        body, Long.parseLong(headers.getFirst("Content-Length").trim()));
    }

    private static void relay(HttpExchange exchange, HttpResponse<InputStream> response, Map<String, String> added)
            throws IOException {
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        added.forEach(exchange.getResponseHeaders()::set);
        int status = response.statusCode();
        boolean empty = status == 204 || status == 304 || "HEAD".equals(exchange.getRequestMethod());
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        // a known length goes on as is; otherwise chunks, each flushed as it comes
        exchange.sendResponseHeaders(status, empty ? -1 : length > 0 ? length : length == 0 ? -1 : 0);
        try (InputStream in = response.body()) {
            if (empty || length == 0) {
                return;
            }
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

    /** An answer of the proxy itself, in Fly's error shape. */
    static void fail(HttpExchange exchange, int status, String message) throws IOException {
        byte[] bytes = ("{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "'") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
