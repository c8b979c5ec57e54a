package com.employable.flotilla.teammcp.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outermost filter. The SDK reports transport errors with {@code response.sendError(status, message)}, which Tomcat
 * would render as an HTML error page; this filter turns every such call, and any exception that escapes a servlet,
 * into a JSON body (JSON-RPC on the MCP endpoint, problem details elsewhere) without stack traces.
 */
public final class JsonErrorFilter implements Filter {

    private static final Logger log = LoggerFactory.getLogger(JsonErrorFilter.class);

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        var request = (HttpServletRequest) req;
        var response = new JsonSendErrorResponse((HttpServletResponse) res, Routes.isMcp(request));
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            log.error("Unhandled error on {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
            if (!response.isCommitted()) {
                response.resetBuffer();
                response.sendError(500, "Internal server error");
            }
        }
    }

    /** Rewrites sendError into a JSON body. */
    static final class JsonSendErrorResponse extends HttpServletResponseWrapper {
        private final boolean mcp;

        JsonSendErrorResponse(HttpServletResponse response, boolean mcp) {
            super(response);
            this.mcp = mcp;
        }

        @Override
        public void sendError(int status) throws IOException {
            sendError(status, null);
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            if (isCommitted()) {
                throw new IllegalStateException("Response already committed");
            }
            resetBuffer();
            String text = message == null || message.isBlank() ? ErrorBodies.reason(status) : message;
            var response = (HttpServletResponse) getResponse();
            if (mcp) {
                ErrorBodies.writeJsonRpcError(response, status, null, ErrorBodies.jsonRpcCodeFor(status), text);
            } else {
                ErrorBodies.writeProblem(
                        response,
                        status,
                        ErrorBodies.reason(status),
                        message == null || message.isBlank() ? null : message);
            }
        }
    }
}
