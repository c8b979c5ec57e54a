package com.employable.flotilla.registry.gateway;

import com.employable.flotilla.common.events.registry.ServerStatus;
import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.registry.auth.Agent;
import com.employable.flotilla.registry.auth.AgentAuthenticator;
import com.employable.flotilla.registry.auth.AuthenticationFailed;
import com.employable.flotilla.registry.discovery.RegisteredServer;
import com.employable.flotilla.registry.discovery.ServerDirectory;
import com.employable.flotilla.registry.discovery.ServerView;
import com.employable.flotilla.registry.system.ProblemException;
import com.employable.flotilla.registry.system.ProblemWriter;
import com.employable.flotilla.registry.system.Problems;
import com.employable.flotilla.registry.system.PublicUrls;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code /{teamId}/mcp}, every method. In this order: the browser origin (if any) must be allowed; the agent must
 * present a valid employable token of that very team (checked from the token alone, before anything is looked up or
 * forwarded); the team must have a usable server; then the request is replayed by Fly Proxy or proxied. Where it
 * goes is the app the provisioner reported (validated against {@link TeamAddresses#requireServerApp} when applied),
 * and the upstream URL is derived from that app by {@link TeamAddresses}, never read from an event. A server the
 * registry believes asleep is woken before the request is sent ({@link WakeUp}). In proxy mode the team must be under its caps ({@link TeamLimits}) and the body is read without holding a
 * thread ({@link RequestBody}).
 */
final class McpGateway extends OncePerRequestFilter {

    private static final Pattern PATH = Pattern.compile("^/([^/]+)/mcp$");

    private static final String EXPOSED_HEADERS = "Mcp-Session-Id, WWW-Authenticate, Retry-After";

    private static final String ALLOWED_HEADERS =
            "Authorization, Content-Type, Accept, Mcp-Session-Id, " + "MCP-Protocol-Version, Last-Event-ID";

    private final AgentAuthenticator authenticator;

    private final ServerDirectory directory;

    private final PublicUrls urls;

    private final GatewayProperties properties;

    private final McpProxy proxy;

    private final SessionAffinity sessions;

    private final GatewayMetrics metrics;

    private final TeamAddresses addresses;

    private final TeamLimits limits;

    private final ScheduledExecutorService deadlines;

    /** Parsed endpoint URLs, by URL (one per app): parsing one cost as much as the rest of routing. */
    private final Cache<String, URI> endpoints =
            Caffeine.newBuilder().maximumSize(10_000).build();

    McpGateway(
            AgentAuthenticator authenticator,
            ServerDirectory directory,
            PublicUrls urls,
            GatewayProperties properties,
            McpProxy proxy,
            SessionAffinity sessions,
            GatewayMetrics metrics,
            TeamAddresses addresses,
            TeamLimits limits,
            ScheduledExecutorService deadlines) {
        this.authenticator = authenticator;
        this.directory = directory;
        this.urls = urls;
        this.properties = properties;
        this.proxy = proxy;
        this.sessions = sessions;
        this.metrics = metrics;
        this.addresses = addresses;
        this.limits = limits;
        this.deadlines = deadlines;
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
        String teamId = path.group(1);
        Map<String, String> cors = new LinkedHashMap<>();
        try {
            String outcome = handle(request, response, teamId, cors);
            if (outcome != null) {
                metrics.answered(mode(), outcome, System.nanoTime() - started);
            }
        } catch (ProblemException problem) {
            cors.forEach(response::setHeader);
            ProblemWriter.write(response, problem, request.getRequestURI());
            metrics.answered(mode(), problem.status().value() + "", System.nanoTime() - started);
        }
    }

    /** @return the outcome to record, or null when the proxy answers (and records) asynchronously */
    private String handle(
            HttpServletRequest request, HttpServletResponse response, String teamId, Map<String, String> cors)
            throws IOException {
        String origin = request.getHeader("Origin");
        if (origin != null) {
            if (!properties.allowedOrigins().contains(origin)) {
                throw new ProblemException(
                        HttpStatus.FORBIDDEN,
                        "origin-not-allowed",
                        "Origin not allowed",
                        "requests from this browser origin are not allowed");
            }
            cors.put("Access-Control-Allow-Origin", origin);
            cors.put("Access-Control-Expose-Headers", EXPOSED_HEADERS);
            cors.put("Vary", "Origin");
            if ("OPTIONS".equals(request.getMethod())) {
                cors.forEach(response::setHeader);
                response.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
                response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
                response.setHeader("Access-Control-Max-Age", "600");
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                return "preflight";
            }
        }
        Agent agent = authenticate(request, teamId);
        if (!agent.isMemberOf(teamId)) {
            throw Problems.notYourTeam();
        }
        RegisteredServer server = directory.find(teamId).orElseThrow(() -> Problems.noServer(teamId));
        ServerView view = usable(server.view());
        String sessionId = request.getHeader(McpProxy.SESSION_HEADER);
        if (properties.mode() == GatewayProperties.Mode.FLY_REPLAY) {
            var machine = MachineChooser.pinned(teamId, view.machines());
            // the app the provisioner reported, validated when its event was applied: the team's own or its pool app
            var route = new Route(
                    teamId,
                    view.app(),
                    null,
                    null,
                    machine.map(ServerView.Machine::machineId).orElse(null),
                    sessionId,
                    true);
            cors.forEach(response::setHeader);
            response.setHeader(FlyReplay.HEADER, FlyReplay.header(route, properties.wakeTimeout()));
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            response.setStatus(HttpServletResponse.SC_TEMPORARY_REDIRECT);
            return "replayed";
        }
        long limit = properties.maxRequestSize().toBytes();
        if (request.getContentLengthLong() > limit) {
            throw RequestBody.tooLarge(limit);
        }
        Route route = route(view, request, sessionId);
        // a GET opens the standalone SSE stream (MCP Streamable HTTP); POST answers may stream too, but are requests
        TeamLimits.Permit permit = limits.acquire(teamId, "GET".equals(request.getMethod()));
        ProxyExchange exchange;
        try {
            AsyncContext async = request.startAsync(request, response);
            async.setTimeout(properties
                    .bodyReadTimeout()
                    .plus(properties.maxStreamDuration())
                    .toMillis());
            exchange = proxy.open(request, response, async, route, agent, cors, permit);
        } catch (RuntimeException failure) {
            permit.release();
            if (request.isAsyncStarted()) {
                request.getAsyncContext().complete();
            }
            throw failure;
        }
        // from here on the exchange answers, records and releases the permit, whatever happens
        try {
            RequestBody.read(
                    request,
                    limit,
                    properties.bodyReadTimeout(),
                    deadlines,
                    exchange::start,
                    problem -> exchange.fail(problem, problem.status().value() + ""));
        } catch (RuntimeException | IOException failure) {
            exchange.fail(
                    new ProblemException(
                            HttpStatus.BAD_REQUEST,
                            "request-body-unreadable",
                            "Request body unreadable",
                            "the request body could not be read"),
                    "400");
        }
        return null;
    }

    private Agent authenticate(HttpServletRequest request, String teamId) {
        try {
            return authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
        } catch (AuthenticationFailed failed) {
            // RFC 9728: the challenge tells an MCP client where to learn how to get a token for this resource
            throw Problems.unauthenticated(
                    failed, "resource_metadata=\"" + urls.resourceMetadata(teamId, request) + "\"");
        }
    }

    /** The server, if requests can go to it now; otherwise the problem that says why not and when to retry. */
    private ServerView usable(ServerView view) {
        if (view.status() == ServerStatus.SUSPENDED) {
            throw new ProblemException(
                    HttpStatus.FORBIDDEN,
                    "team-suspended",
                    "Team suspended",
                    "the team is suspended; its MCP server is stopped until the team is resumed");
        }
        if (view.endpoint() == null || view.app() == null) {
            if (view.status() == ServerStatus.FAILED) {
                boolean retrying = view.failure() != null && view.failure().retryable();
                throw Problems.unavailable(
                        "server-failed",
                        "Server could not be provisioned",
                        "the team's server could not be provisioned" + (retrying ? "; provisioning is retried" : ""),
                        retrying ? properties.retryAfter() : null);
            }
            throw Problems.unavailable(
                    "server-provisioning",
                    "Server not ready yet",
                    "the team's server is being provisioned",
                    properties.retryAfter());
        }
        return view;
    }

    private Route route(ServerView view, HttpServletRequest request, String sessionId) {
        // derived from the app the provisioner reported, validated when its event was applied (the team's own app or
        // a warm-pool app claimed for it): an event can name the app, never a URL the gateway goes to
        String endpoint = properties.upstream() == GatewayProperties.Upstream.PRIVATE_URL
                ? addresses.privateEndpointUrlOfApp(view.app())
                : addresses.endpointUrlOfApp(view.app());
        URI upstream = request.getQueryString() == null
                ? endpoints.get(endpoint, URI::create)
                : URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + request.getQueryString());
        List<ServerView.Machine> machines = view.machines();
        Optional<ServerView.Machine> target;
        if (sessionId != null) {
            // the session lives on the machine that created it; if that machine is gone, let the server say 404
            target = sessions.machineOf(view.teamId(), sessionId)
                    .flatMap(id -> machines.stream()
                            .filter(m -> m.machineId().equals(id))
                            .findFirst());
        } else {
            target = MachineChooser.forNewSession(machines, ThreadLocalRandom.current());
        }
        boolean wakeExpected = target.map(m -> !"started".equals(m.state()))
                .orElse(machines.stream().noneMatch(m -> "started".equals(m.state())));
        return new Route(
                view.teamId(),
                view.app(),
                upstream,
                wakeExpected ? URI.create(endpoint).resolve(properties.wakePath()) : null,
                target.map(ServerView.Machine::machineId).orElse(null),
                sessionId,
                wakeExpected);
    }

    private String mode() {
        return properties.mode() == GatewayProperties.Mode.FLY_REPLAY ? "fly-replay" : "proxy";
    }

    /** The gateway answers async requests itself; Spring's filters must not run on a second dispatch. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return true;
    }
}
