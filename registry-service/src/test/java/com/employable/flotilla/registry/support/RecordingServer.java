package com.employable.flotilla.registry.support;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local HTTP server that records every request it receives (method, path, Authorization header, body) and answers
 * with {@code then}, or 200 {@code {}} by default. Stands in for an attacker's host or a team machine.
 */
public final class RecordingServer implements AutoCloseable {

    private final HttpServer server;

    private final List<Received> received = new CopyOnWriteArrayList<>();

    private RecordingServer(HttpHandler then) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(body, StandardCharsets.UTF_8)));
            then.handle(exchange);
        });
        server.start();
    }

    public static RecordingServer answering(HttpHandler then) {
        try {
            return new RecordingServer(then);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    public static RecordingServer ok() {
        return answering(exchange -> {
            byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, json.length);
            exchange.getResponseBody().write(json);
            exchange.close();
        });
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public record Received(String method, String path, String authorization, String body) {}
}
