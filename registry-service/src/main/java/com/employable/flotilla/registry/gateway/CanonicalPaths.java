package com.employable.flotilla.registry.gateway;

import com.employable.flotilla.registry.system.ProblemException;
import com.employable.flotilla.registry.system.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with 400, every request whose path is not in its one canonical form, before anything routes or
 * authenticates on it: empty segments ({@code //}), {@code .} and {@code ..} segments, path parameters
 * ({@code ;}), backslashes, percent-encoding (no path of this service needs it, and {@code %2e %2f %5c} are how the
 * other forms hide), and anything outside printable ASCII. A path that two components could read differently (one
 * normalising it, one not) is the gap the team server's probe-token check fell through.
 */
final class CanonicalPaths extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String why = nonCanonical(request.getRequestURI());
        if (why != null) {
            ProblemWriter.write(
                    response,
                    new ProblemException(
                            HttpStatus.BAD_REQUEST,
                            "non-canonical-path",
                            "Non-canonical path",
                            "the request path " + why + "; send it in its canonical form"),
                    "/");
            return;
        }
        chain.doFilter(request, response);
    }

    /** Why the raw (undecoded) request path is not canonical, or null when it is. */
    static String nonCanonical(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return "must start with /";
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return "has a character outside printable ASCII";
            }
            switch (c) {
                case '\\' -> {
                    return "has a backslash";
                }
                case ';' -> {
                    return "has a path parameter (;)";
                }
                case '%' -> {
                    return "is percent-encoded";
                }
                default -> {}
            }
        }
        if (rawPath.contains("//")) {
            return "has an empty segment (//)";
        }
        for (String segment : rawPath.split("/", -1)) {
            if (".".equals(segment) || "..".equals(segment)) {
                return "has a . or .. segment";
            }
        }
        return null;
    }

    /** Async dispatches carry the path already checked. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return true;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return true;
    }
}
