package com.employable.flotilla.health.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A machine's process for local-fly in the {@code fly-checks} tests: answers {@code /healthz/mcp} the way the team
 * server's self-check does, passing until the file {@code $BREAK_FILE} exists, then failing as a server whose tool
 * registry broke, in words a hostile server might add (control characters, a forged second line). JDK classes only,
 * so it starts from the test classes alone.
 */
public final class CheckedServerMain {

    static final String PASSING = "MCP ok: initialize + tools/list: 1 tools, protocol 2025-11-25, in 1 ms";

    static final String FAILING = "MCP self-check failed (protocol): tools/list: JSON-RPC error -32603: tool registry"
            + " unavailable\u001b[2J\r\nFORGED health line";

    private CheckedServerMain() {}

    public static void main(String[] args) throws IOException {
        Path breakFile = Path.of(System.getenv("BREAK_FILE"));
        HttpServer server = HttpServer.create(
                new InetSocketAddress(System.getenv("FLOTILLA_BIND"), Integer.parseInt(System.getenv("PORT"))), 0);
        server.createContext("/healthz/mcp", exchange -> {
            boolean broken = Files.exists(breakFile);
            byte[] body = ((broken ? FAILING : PASSING) + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(broken ? 503 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }
}
