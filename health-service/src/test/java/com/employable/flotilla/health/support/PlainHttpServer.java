package com.employable.flotilla.health.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/** An HTTP server that is not an MCP server: it answers every request with one fixed (or echoing) response. */
public final class PlainHttpServer implements AutoCloseable {

    private final HttpServer server;

    private final List<String> requests = new CopyOnWriteArrayList<>();

    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    private PlainHttpServer(
            int status, String contentType, BiFunction<String, String, byte[]> bodyFor, Map<String, String> headers)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                authorizations.add(authorization);
            }
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] body = bodyFor.apply(authorization == null ? "" : authorization, request);
            headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            if (contentType != null) {
                exchange.getResponseHeaders().add("Content-Type", contentType);
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.setExecutor(executor);
        server.start();
    }

    public static PlainHttpServer answering(int status, String contentType, String body) {
        return answering(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static PlainHttpServer answering(int status, String contentType, byte[] body, Map<String, String> headers) {
        return start(status, contentType, (authorization, request) -> body, headers);
    }

    /**
     * Answers with a body made from the request's {@code Authorization} header (empty when there was none) and the
     * request's body.
     */
    public static PlainHttpServer echoing(int status, String contentType, BiFunction<String, String, String> bodyFor) {
        return start(
                status,
                contentType,
                (authorization, request) ->
                        bodyFor.apply(authorization, request).getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    private static PlainHttpServer start(
            int status, String contentType, BiFunction<String, String, byte[]> bodyFor, Map<String, String> headers) {
        try {
            return new PlainHttpServer(status, contentType, bodyFor, headers);
        } catch (IOException failure) {
            throw new IllegalStateException(failure);
        }
    }

    public String endpoint(String teamId) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/teams/" + teamId + "/mcp";
    }

    public List<String> requests() {
        return requests;
    }

    /** Every {@code Authorization} header this server was sent. */
    public List<String> authorizations() {
        return authorizations;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
