package com.employable.flotilla.teammcp.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Every path this server does not serve: a problem-details 404 instead of Tomcat's HTML page. */
public final class NotFoundServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ErrorBodies.writeProblem(response, 404, "Not Found", "The MCP endpoint is /mcp");
    }
}
