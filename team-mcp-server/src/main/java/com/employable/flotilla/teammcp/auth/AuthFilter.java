package com.employable.flotilla.teammcp.auth;

import com.employable.flotilla.teammcp.http.ErrorBodies;
import com.employable.flotilla.teammcp.http.Routes;
import io.modelcontextprotocol.spec.HttpHeaders;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OAuth 2.1 resource-server gate in front of everything but the public servlets (/healthz and the RFC 9728
 * metadata; {@code /healthz/mcp} admits only Fly's machine check, with its own token): 401 with a {@code resource_metadata} challenge when the token is missing or invalid, 403 for a valid
 * token of another team, and, once accepted, the session binding and the probe token's narrow permissions.
 * Every decision is keyed on the servlet Tomcat routes the request to, never on the spelling of its URI, so each path
 * the MCP servlet serves ({@code /mcp} and the team's {@code /<team>/mcp}) gets exactly the same checks.
 * Tokens and their claims are never logged.
 */
public final class AuthFilter implements Filter {

    private static final Logger log = LoggerFactory.getLogger(AuthFilter.class);

    /** What the health-service may do with the probe token (besides DELETE of its own session). */
    static final Set<String> PROBE_METHODS = Set.of("initialize", "ping", "tools/list", "notifications/initialized");
    /** A probe request is one small JSON-RPC message; anything bigger is not a probe. */
    static final int MAX_PROBE_BODY_BYTES = 64 * 1024;

    // the SDK's mapper too: one set of serializers to build on a woken machine's first request, not one per class
    private static final JsonMapper JSON = JsonMapper.shared();

    private final Authenticator authenticator;
    private final SessionOwners sessions;
    private final ResourceUrls urls;
    private final Set<String> publicServlets;

    /** @param publicServlets names of the servlets served without a token */
    public AuthFilter(Authenticator authenticator, ResourceUrls urls, Set<String> publicServlets) {
        this(authenticator, new SessionOwners(System::nanoTime), urls, publicServlets);
    }

    AuthFilter(Authenticator authenticator, SessionOwners sessions, ResourceUrls urls, Set<String> publicServlets) {
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.urls = urls;
        this.publicServlets = Set.copyOf(publicServlets);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        var request = (HttpServletRequest) req;
        var response = (HttpServletResponse) res;
        if (publicServlets.contains(Routes.servletName(request))) {
            chain.doFilter(request, response);
            return;
        }
        if (Routes.MCP_CHECK.equals(Routes.servletName(request))) {
            checkGate(request, response, chain);
            return;
        }
        Optional<Verification> verdict = authenticator.authenticate(request.getHeader("Authorization"));
        if (verdict.isEmpty()) {
            challenge(request, response, null);
            return;
        }
        Verification verification = verdict.get();
        if (verification instanceof Verification.Accepted accepted) {
            admit(request, response, chain, accepted.principal());
        } else if (verification instanceof Verification.Rejected rejected) {
            log.info("Rejected token on {} {}: {}", request.getMethod(), request.getRequestURI(), rejected.reason());
            challenge(request, response, rejected.reason());
        } else if (verification instanceof Verification.OtherTeam otherTeam) {
            log.info("Refused token of another team on {} {}", request.getMethod(), request.getRequestURI());
            response.setHeader(
                    "WWW-Authenticate",
                    "Bearer error=\"insufficient_scope\", error_description=\"" + quoted(otherTeam.reason())
                            + "\", resource_metadata=\"" + urls.metadataUrl() + "\"");
            writeError(request, response, 403, null, ErrorBodies.FORBIDDEN, "Forbidden: " + otherTeam.reason());
        } else if (verification instanceof Verification.Unavailable unavailable) {
            log.warn("Cannot verify token: {}", unavailable.reason());
            response.setHeader("Retry-After", "5");
            writeError(
                    request,
                    response,
                    503,
                    null,
                    ErrorBodies.INTERNAL_ERROR,
                    "Token verification unavailable: " + unavailable.reason());
        }
    }

    /**
     * {@code /healthz/mcp} admits Fly's machine check and nobody else: its derived check token, not a probe, gateway
     * or agent token (the self-check runs an MCP conversation; nobody but the check needs one on demand).
     */
    private void checkGate(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Optional<Verification> verdict = authenticator.authenticateCheck(request.getHeader("Authorization"));
        if (verdict.isEmpty()) {
            challenge(request, response, null);
        } else if (verdict.get() instanceof Verification.Accepted accepted) {
            request.setAttribute(Principal.ATTRIBUTE, accepted.principal());
            chain.doFilter(request, response);
        } else if (verdict.get() instanceof Verification.Rejected rejected) {
            log.info(
                    "Rejected check token on {} {}: {}",
                    request.getMethod(),
                    request.getRequestURI(),
                    rejected.reason());
            challenge(request, response, rejected.reason());
        }
    }

    private void admit(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Principal principal)
            throws IOException, ServletException {
        request.setAttribute(Principal.ATTRIBUTE, principal);
        if (!Routes.isMcp(request)) {
            chain.doFilter(request, response);
            return;
        }
        String sessionId = request.getHeader(HttpHeaders.MCP_SESSION_ID);
        if (sessionId != null && sessions.check(sessionId, principal) != SessionOwners.Ownership.OWNED) {
            // Someone else's session looks exactly like a session that does not exist
            writeError(request, response, 404, null, ErrorBodies.INVALID_REQUEST, "Session not found");
            return;
        }
        HttpServletRequest forwarded = request;
        if (principal.kind() == Principal.Kind.PROBE) {
            Optional<HttpServletRequest> allowed = probeRequest(request, response);
            if (allowed.isEmpty()) {
                return;
            }
            forwarded = allowed.get();
        }
        var bindingResponse = sessionId == null ? new SessionBindingResponse(response, principal) : response;
        chain.doFilter(forwarded, bindingResponse);
        if (sessionId != null && "DELETE".equals(request.getMethod()) && response.getStatus() == 200) {
            sessions.release(sessionId);
        }
    }

    /** The probe may initialize, ping and list tools, and end its own session; nothing else. */
    private Optional<HttpServletRequest> probeRequest(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        switch (request.getMethod()) {
            case "DELETE":
                return Optional.of(request);
            case "POST":
                break;
            default:
                writeError(
                        request,
                        response,
                        403,
                        null,
                        ErrorBodies.FORBIDDEN,
                        "Forbidden: the probe token may only initialize, ping and list tools");
                return Optional.empty();
        }
        byte[] body = request.getInputStream().readNBytes(MAX_PROBE_BODY_BYTES + 1);
        if (body.length > MAX_PROBE_BODY_BYTES) {
            writeError(request, response, 413, null, ErrorBodies.INVALID_REQUEST, "Request too large");
            return Optional.empty();
        }
        JsonNode message;
        try {
            message = JSON.readTree(body);
        } catch (JacksonException e) {
            writeError(request, response, 400, null, ErrorBodies.PARSE_ERROR, "Parse error: body is not JSON");
            return Optional.empty();
        }
        JsonNode method = message == null ? null : message.get("method");
        if (method == null || !method.isString() || !PROBE_METHODS.contains(method.stringValue())) {
            Object id = message != null && message.has("id") ? JSON.treeToValue(message.get("id"), Object.class) : null;
            String refused = method != null && method.isString()
                    ? method.stringValue().replaceAll("[^A-Za-z0-9/_.-]", "?")
                    : "(none)";
            writeError(
                    request,
                    response,
                    403,
                    id,
                    ErrorBodies.FORBIDDEN,
                    "Forbidden: the probe token may only initialize, ping and list tools, not "
                            + refused.substring(0, Math.min(refused.length(), 64)));
            return Optional.empty();
        }
        return Optional.of(new CachedBodyRequest(request, body));
    }

    private void challenge(HttpServletRequest request, HttpServletResponse response, String error) throws IOException {
        String challenge = "Bearer resource_metadata=\"" + urls.metadataUrl() + "\"";
        if (error != null) {
            challenge += ", error=\"invalid_token\", error_description=\"" + quoted(error) + "\"";
        }
        response.setHeader("WWW-Authenticate", challenge);
        writeError(
                request,
                response,
                401,
                null,
                ErrorBodies.UNAUTHORIZED,
                error == null ? "Unauthorized: bearer token required" : "Unauthorized: " + error);
    }

    private void writeError(
            HttpServletRequest request, HttpServletResponse response, int status, Object id, int code, String message)
            throws IOException {
        if (Routes.isMcp(request)) {
            ErrorBodies.writeJsonRpcError(response, status, id, code, message);
        } else {
            ErrorBodies.writeProblem(response, status, ErrorBodies.reason(status), message);
        }
    }

    /** RFC 6750 auth-param values are quoted strings: no quotes or backslashes inside. */
    private static String quoted(String value) {
        return value.replaceAll("[\"\\\\\\p{Cntrl}]", "'");
    }

    /**
     * Binds the session the moment the SDK sets its id header on the initialize response, before the body is
     * flushed, so the client's next request can never arrive ahead of the binding.
     */
    private final class SessionBindingResponse extends HttpServletResponseWrapper {
        private final Principal principal;

        SessionBindingResponse(HttpServletResponse response, Principal principal) {
            super(response);
            this.principal = principal;
        }

        @Override
        public void setHeader(String name, String value) {
            bindIfSession(name, value);
            super.setHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            bindIfSession(name, value);
            super.addHeader(name, value);
        }

        private void bindIfSession(String name, String value) {
            if (HttpHeaders.MCP_SESSION_ID.equalsIgnoreCase(name) && value != null) {
                sessions.bind(value, principal);
            }
        }
    }
}
