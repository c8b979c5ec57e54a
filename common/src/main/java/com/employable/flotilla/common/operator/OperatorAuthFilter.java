package com.employable.flotilla.common.operator;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Answers 401 with a JSON problem body unless the request carries the operator token. */
final class OperatorAuthFilter implements Filter {

    private static final byte[] PROBLEM = """
            {"type":"about:blank","title":"Unauthorized","status":401,\
            "detail":"this internal API needs the operator token as 'Authorization: Bearer <token>'"}""".getBytes(StandardCharsets.UTF_8);

    private final OperatorToken token;

    OperatorAuthFilter(OperatorToken token) {
        this.token = token;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        if (token.admits(http.getHeader("Authorization"))) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse reply = (HttpServletResponse) response;
        reply.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        reply.setHeader("WWW-Authenticate", "Bearer realm=\"flotilla-operator\"");
        reply.setHeader("Cache-Control", "no-store");
        reply.setContentType("application/problem+json");
        reply.setContentLength(PROBLEM.length);
        reply.getOutputStream().write(PROBLEM);
    }
}
