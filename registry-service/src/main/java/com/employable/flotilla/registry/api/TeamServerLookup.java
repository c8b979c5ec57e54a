package com.employable.flotilla.registry.api;

import com.employable.flotilla.common.events.Require;
import com.employable.flotilla.registry.auth.Agent;
import com.employable.flotilla.registry.auth.AgentAuthenticator;
import com.employable.flotilla.registry.auth.AuthenticationFailed;
import com.employable.flotilla.registry.discovery.RegisteredServer;
import com.employable.flotilla.registry.discovery.ServerDirectory;
import com.employable.flotilla.registry.system.ProblemException;
import com.employable.flotilla.registry.system.ProblemWriter;
import com.employable.flotilla.registry.system.Problems;
import com.employable.flotilla.registry.system.PublicUrls;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v1/teams/{teamId}/server} (where a team's MCP server is, for the team's own members and for operators),
 * the lookup agents and employable make most, answered by a servlet filter rather than Spring MVC, whose per-request
 * machinery cost several times the lookup itself (README, "Lookup against nginx"): the same checks in the same order (a valid token; the caller may read that team, decided
 * from the token alone, so another team's id gets the same 403 whether it exists; a well-formed team id; a server
 * registered, from the in-memory view), the same body (serialized with the MVC mapper, once per entry version and
 * public URL, then served from memory), the same headers ({@code Cache-Control: no-store}, the version as
 * {@code ETag}, 304 for a matching {@code If-None-Match}). Counted in {@code flotilla.registry.lookups}.
 */
final class TeamServerLookup extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(TeamServerLookup.class);

    private static final Pattern PATH = Pattern.compile("^/v1/teams/([^/]+)/server$");

    private final AgentAuthenticator authenticator;

    private final ServerDirectory directory;

    private final McpClients clients;

    private final PublicUrls urls;

    private final JsonMapper json;

    private final MeterRegistry meters;

    /** Serialized answers by the team's gateway URL (which carries the public base URL) and entry version. */
    private final Cache<BodyKey, byte[]> bodies =
            Caffeine.newBuilder().maximumSize(10_000).build();

    TeamServerLookup(
            AgentAuthenticator authenticator,
            ServerDirectory directory,
            McpClients clients,
            PublicUrls urls,
            JsonMapper json,
            MeterRegistry meters) {
        this.authenticator = authenticator;
        this.directory = directory;
        this.clients = clients;
        this.urls = urls;
        this.json = json;
        this.meters = meters;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher path = PATH.matcher(
                request.getRequestURI().substring(request.getContextPath().length()));
        if (!path.matches()) {
            chain.doFilter(request, response);
            return;
        }
        long started = System.nanoTime();
        String outcome;
        try {
            outcome = answer(request, response, path.group(1));
        } catch (ProblemException problem) {
            ProblemWriter.write(response, problem, request.getRequestURI());
            outcome = String.valueOf(problem.status().value());
        } catch (RuntimeException unexpected) {
            log.error("unexpected failure serving {}", request.getRequestURI(), unexpected);
            ProblemWriter.write(
                    response,
                    new ProblemException(
                            HttpStatus.INTERNAL_SERVER_ERROR,
                            "internal-error",
                            "Internal error",
                            "the registry failed to answer; the failure is logged"),
                    request.getRequestURI());
            outcome = "500";
        }
        meters.timer("flotilla.registry.lookups", "outcome", outcome)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private String answer(HttpServletRequest request, HttpServletResponse response, String teamId) throws IOException {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            var headers = new HttpHeaders();
            headers.set(HttpHeaders.ALLOW, "GET, HEAD");
            throw new ProblemException(
                    HttpStatus.METHOD_NOT_ALLOWED,
                    "method-not-allowed",
                    "Method not allowed",
                    "a team's server is read with GET",
                    headers,
                    java.util.Map.of());
        }
        Agent agent = authenticate(request);
        // decided from the token alone, before any lookup: another team's id gets the same 403 whether it exists
        if (!agent.mayRead(teamId)) {
            throw Problems.notYourTeam();
        }
        if (!Require.isTeamId(teamId)) {
            throw Problems.badRequest("a team id is 1-40 characters of a-z 0-9 - or a UUID");
        }
        RegisteredServer server = directory.find(teamId).orElseThrow(() -> Problems.noServer(teamId));
        String etag = "\"" + server.version() + "\"";
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setHeader(HttpHeaders.ETAG, etag);
        if (notModified(request.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return "304";
        }
        byte[] body = bodies.get(
                new BodyKey(urls.gateway(teamId, request), server.version()),
                key -> json.writeValueAsBytes(ServerDetails.of(server, clients.forServer(server, request))));
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        if ("GET".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
        return "200";
    }

    private Agent authenticate(HttpServletRequest request) {
        try {
            return authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
        } catch (AuthenticationFailed failed) {
            throw Problems.unauthenticated(failed, AgentArgumentResolver.CHALLENGE);
        }
    }

    /** RFC 9110 weak comparison, as Spring MVC applies it to {@code If-None-Match}. */
    static boolean notModified(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private record BodyKey(String gatewayUrl, long version) {}
}
