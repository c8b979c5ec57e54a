package com.employable.flotilla.teammcp.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outermost filter: a request whose path is not in canonical form gets 400 with a problem body before any servlet or
 * auth decision. Tomcat routes {@code //mcp}, {@code /./mcp}, {@code /x/../mcp}, {@code /%2e/mcp} and {@code /mcp;x}
 * to the MCP servlet, so any check keyed on the spelling of the URI could be walked around (audit finding 2). Only
 * one spelling of each path is accepted: segments of plain characters, no empty, {@code .} or {@code ..} segment, no
 * percent-encoding, no {@code ;} path parameters, no backslash, no trailing slash, and the served paths in their own
 * letter case. What Tomcat routed by must then equal the raw path, so the two can never disagree.
 * (Tomcat itself already refuses an encoded slash or backslash and {@code ..} above the root, with the same body.)
 */
public final class CanonicalPathFilter implements Filter {

    private static final Logger log = LoggerFactory.getLogger(CanonicalPathFilter.class);

    /** RFC 3986 pchar without pct-encoded, minus ';' (Tomcat strips path parameters before routing). */
    private static final Pattern CANONICAL = Pattern.compile("/|(/[A-Za-z0-9._~!$&'()*+,=:@-]+)+");

    private static final Pattern DOT_SEGMENT = Pattern.compile("(^|.*/)\\.{1,2}(/.*|$)");

    private final Set<String> servedPaths;

    /** @param servedPaths the paths this server serves, each in its one accepted letter case */
    public CanonicalPathFilter(Set<String> servedPaths) {
        this.servedPaths = Set.copyOf(servedPaths);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        var request = (HttpServletRequest) req;
        Optional<String> problem = problem(request.getRequestURI(), Routes.routedPath(request));
        if (problem.isPresent()) {
            // the path itself is not logged: it is the caller's text, and the reason says what was wrong with it
            log.info("Refused a non-canonical request path on {}: {}", request.getMethod(), problem.get());
            ErrorBodies.writeProblem(
                    (HttpServletResponse) res,
                    400,
                    ErrorBodies.reason(400),
                    "The request path is not in canonical form: " + problem.get());
            return;
        }
        chain.doFilter(req, res);
    }

    /** Why this raw request path (as sent, before decoding) is not canonical, if it is not. */
    Optional<String> problem(String rawPath, String routedPath) {
        if (rawPath == null || !CANONICAL.matcher(rawPath).matches()) {
            return Optional.of("empty segments, a trailing slash, percent-encoding, ';' parameters and backslashes "
                    + "are not accepted");
        }
        if (DOT_SEGMENT.matcher(rawPath).matches()) {
            return Optional.of("'.' and '..' segments are not accepted");
        }
        for (String served : servedPaths) {
            if (!served.equals(rawPath) && served.toLowerCase(Locale.ROOT).equals(rawPath.toLowerCase(Locale.ROOT))) {
                return Optional.of("paths are case-sensitive; this one is served as " + served);
            }
        }
        if (!rawPath.equals(routedPath)) {
            return Optional.of("the path does not match the path it was routed by");
        }
        return Optional.empty();
    }
}
