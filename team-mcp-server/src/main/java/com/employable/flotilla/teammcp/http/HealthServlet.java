package com.employable.flotilla.teammcp.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz}: the process is up and serving. No auth and no database call, so Fly's check stays cheap and
 * answers even when the team's database is unreachable; 503 once shutdown has begun so the proxy stops routing here.
 */
public final class HealthServlet extends HttpServlet {

    private final BooleanSupplier shuttingDown;

    public HealthServlet(BooleanSupplier shuttingDown) {
        this.shuttingDown = shuttingDown;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if (shuttingDown.getAsBoolean()) {
            ErrorBodies.writeJson(response, 503, Map.of("status", "stopping"));
        } else {
            ErrorBodies.writeJson(response, 200, Map.of("status", "ok"));
        }
    }
}
