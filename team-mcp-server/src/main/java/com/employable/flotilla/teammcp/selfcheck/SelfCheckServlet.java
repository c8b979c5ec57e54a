package com.employable.flotilla.teammcp.selfcheck;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /healthz/mcp}: what Fly's machine check asks for (flyd, next to the machine, never through Fly Proxy).
 * 200 with the self-check's one-line summary when the server answers MCP, 503 with the failure otherwise (and while
 * shutting down). Plain text: flyd keeps the body as the check's {@code output}, which the Machines API hands to the
 * health-service. The auth gate admits only the check's own token here.
 */
public final class SelfCheckServlet extends HttpServlet {

    private final McpSelfCheck check;

    private final BooleanSupplier shuttingDown;

    public SelfCheckServlet(McpSelfCheck check, BooleanSupplier shuttingDown) {
        this.check = check;
        this.shuttingDown = shuttingDown;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (shuttingDown.getAsBoolean()) {
            write(response, 503, "MCP self-check failed (connect): the server is stopping");
            return;
        }
        McpSelfCheck.Outcome outcome = check.run();
        write(response, outcome.ok() ? 200 : 503, outcome.summary());
    }

    private static void write(HttpServletResponse response, int status, String line) throws IOException {
        byte[] body = (line + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
