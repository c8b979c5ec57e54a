package com.employable.flotilla.localfly;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A machine's process in tests: serves on $PORT, tells who it is, exits when asked, and keeps state in memory only
 * ({@code /count} counts its calls, {@code /pid} names the process), so a test sees whether a resume kept it;
 * {@code /upload} counts a request body as it arrives and {@code /uploaded} tells how much has.
 */
public final class EchoServerMain {

    private static final AtomicInteger CALLS = new AtomicInteger();
    private static final AtomicLong UPLOADED = new AtomicLong();

    private EchoServerMain() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv("PORT"));
        HttpServer server = HttpServer.create(new InetSocketAddress(System.getenv("FLOTILLA_BIND"), port), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if ("/exit".equals(path)) {
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
                Runtime.getRuntime().halt(3);
            }
            if ("/upload".equals(path)) {
                // counts the body as it arrives, so a test sees whether the proxy streamed it or held it back
                UPLOADED.set(0);
                byte[] buffer = new byte[1024];
                int read;
                while ((read = exchange.getRequestBody().read(buffer)) >= 0) {
                    UPLOADED.addAndGet(read);
                }
                reply(exchange, Long.toString(UPLOADED.get()));
                return;
            }
            if ("/uploaded".equals(path)) {
                reply(exchange, Long.toString(UPLOADED.get()));
                return;
            }
            if ("/count".equals(path) || "/pid".equals(path)) {
                long value = "/pid".equals(path) ? ProcessHandle.current().pid() : CALLS.incrementAndGet();
                reply(exchange, Long.toString(value));
                return;
            }
            String body = "machine=" + System.getenv("FLY_MACHINE_ID") + " app=" + System.getenv("FLY_APP_NAME")
                    + " secret=" + System.getenv("GREETING") + " path=" + path;
            reply(exchange, body);
        });
        // an upload in progress must not hold up the request that asks how far it got
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        System.out.println("echo listening on " + port);
    }

    private static void reply(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
