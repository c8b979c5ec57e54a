package com.employable.flotilla.localfly;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A machine's process in tests: serves on $PORT, tells who it is, and exits when asked. */
public final class EchoServerMain {

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
            String body = "machine=" + System.getenv("FLY_MACHINE_ID") + " app=" + System.getenv("FLY_APP_NAME")
                    + " secret=" + System.getenv("GREETING") + " path=" + path;
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        System.out.println("echo listening on " + port);
    }
}
