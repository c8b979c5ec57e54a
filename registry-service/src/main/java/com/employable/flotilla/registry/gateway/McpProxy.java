package com.employable.flotilla.registry.gateway;

import com.employable.flotilla.registry.auth.Agent;
import com.employable.flotilla.registry.auth.TeamTokens;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;

/**
 * Reverse-proxies one MCP request to a team server and streams the answer back as it arrives (an SSE stream is
 * relayed event by event, never buffered). The servlet request is put in async mode and the exchange goes on on a
 * thread of its own ({@link GatewayThreads#calls}): the upstream call is blocking (OkHttp, {@link UpstreamClient}),
 * and each chunk of the answer is written (and in a stream flushed) as it is read.
 *
 * <p>A request that may have reached the team server is never sent again, so a tool call never runs twice: only a
 * failed connection (refused, or not established in time: not one byte was written) is retried, with back-off until
 * the wake timeout, then answered 503 with {@code Retry-After}. A 502/503/504 answer (Fly Proxy answers 502 when a
 * machine dies mid-request, after the server may have run the call) is retried only for idempotent methods; for any
 * other method it is answered as is, as a problem that says the request was not re-sent.
 *
 * <p>The pieces: {@link UpstreamRequest} (what is sent), {@link ResendPolicy} (whether it may be sent again),
 * {@link ProxyExchange} (the attempts), {@link ResponseRelay} (the answer), {@link UpstreamClient} (the client),
 * {@link ExchangeEnd} (ending it exactly once), {@link ProxyProblems} (the gateway's own answers).
 */
final class McpProxy {

    static final String SESSION_HEADER = "Mcp-Session-Id";

    private final TeamTokens tokens;

    private final ProxyExchange.Services services;

    /**
     * @param calls runs each exchange's blocking upstream call and relay (a thread each)
     * @param deadlines fires response timeouts and back-offs
     */
    McpProxy(
            OkHttpClient http,
            Executor calls,
            ScheduledExecutorService deadlines,
            TeamTokens tokens,
            SessionAffinity sessions,
            GatewayProperties properties,
            GatewayMetrics metrics) {
        this.tokens = tokens;
        this.services = new ProxyExchange.Services(http, calls, deadlines, sessions, properties, metrics);
    }

    /**
     * Prepares the exchange of a request already in async mode; it is sent once {@link ProxyExchange#start} has its
     * body. The exchange releases {@code permit} when it ends, however it ends.
     */
    ProxyExchange open(
            HttpServletRequest request,
            HttpServletResponse response,
            AsyncContext async,
            Route route,
            Agent agent,
            Map<String, String> responseHeaders,
            TeamLimits.Permit permit) {
        var upstream = UpstreamRequest.of(
                request, route, agent, tokens, services.properties().instanceHeader());
        var end = new ExchangeEnd(
                response, request.getRequestURI(), async, permit, services.metrics(), System.nanoTime());
        async.addListener(end);
        return new ProxyExchange(services, upstream, route, responseHeaders, response, end);
    }
}
