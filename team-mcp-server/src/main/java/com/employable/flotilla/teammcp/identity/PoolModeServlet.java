package com.employable.flotilla.teammcp.identity;

import com.employable.flotilla.teammcp.http.ErrorBodies;
import com.employable.flotilla.teammcp.http.Routes;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Every path but {@code /healthz} while a pool server has no team identity: 503, whatever the request carries. The
 * placeholder's own key and probe token are throw-away values nobody should hold, and no team's token can be checked
 * before the team's key is known, so nothing authenticates; the body is JSON-RPC on {@code /mcp}, problem details
 * elsewhere, as for every other refusal.
 */
public final class PoolModeServlet extends HttpServlet {

    static final String MESSAGE = "This server has no team identity yet (warm pool)";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Retry-After", "1");
        response.setHeader("Cache-Control", "no-store");
        if (Routes.isMcp(request)) {
            ErrorBodies.writeJsonRpcError(response, 503, null, ErrorBodies.INTERNAL_ERROR, MESSAGE);
        } else {
            ErrorBodies.writeProblem(response, 503, ErrorBodies.reason(503), MESSAGE);
        }
    }
}
