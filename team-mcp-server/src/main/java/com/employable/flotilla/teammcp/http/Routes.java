package com.employable.flotilla.teammcp.http;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The servlets requests are routed to. Filters decide by the servlet Tomcat chose for a request, never by comparing
 * the request URI with a path: a URI spelled differently but routed to the same servlet gets the same decision.
 */
public final class Routes {

    public static final String MCP = "mcp";
    public static final String HEALTH = "health";
    /** {@code /healthz/mcp}: the MCP-level self-check Fly's machine check asks for. */
    public static final String MCP_CHECK = "mcp-check";

    public static final String PROTECTED_RESOURCE = "protected-resource";
    public static final String NOT_FOUND = "not-found";

    private Routes() {}

    /** The name of the servlet this request is routed to ("" before routing). */
    public static String servletName(HttpServletRequest request) {
        HttpServletMapping mapping = request.getHttpServletMapping();
        return mapping == null || mapping.getServletName() == null ? "" : mapping.getServletName();
    }

    public static boolean isMcp(HttpServletRequest request) {
        return MCP.equals(servletName(request));
    }

    /** The decoded, normalized path Tomcat routed by (servlet path plus path info). */
    static String routedPath(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return request.getServletPath() + (pathInfo == null ? "" : pathInfo);
    }
}
