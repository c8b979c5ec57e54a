package com.employable.flotilla.registry.gateway;

import com.employable.flotilla.registry.auth.Agent;
import com.employable.flotilla.registry.auth.TeamTokens;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the gateway sends a team server for one agent request: its method and the agent's headers, less those that
 * must not cross the gateway, with the agent's token replaced by one minted for that team alone.
 *
 * @param method the agent's HTTP method
 * @param upstream the team server's MCP endpoint
 * @param headers the headers to send, in order
 */
record UpstreamRequest(String method, URI upstream, List<Header> headers) {

    /** Hop-by-hop headers, headers the JDK client sets itself, and what the gateway replaces or must not pass on. */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "connection",
            "keep-alive",
            "proxy-authorization",
            "proxy-authenticate",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "content-length",
            "expect",
            "http2-settings",
            "authorization",
            "cookie",
            "origin",
            "forwarded",
            "x-forwarded-for",
            "x-forwarded-host",
            "x-forwarded-proto",
            "x-forwarded-port");

    record Header(String name, String value) {}

    UpstreamRequest {
        headers = List.copyOf(headers);
    }

    static UpstreamRequest of(
            HttpServletRequest request, Route route, Agent agent, TeamTokens tokens, String instanceHeader) {
        List<Header> headers = new ArrayList<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (NOT_FORWARDED.contains(lower) || lower.startsWith("fly-") || lower.startsWith(":")) {
                continue;
            }
            for (String value : Collections.list(request.getHeaders(name))) {
                headers.add(new Header(name, value));
            }
        }
        // no token passthrough: the team server gets a token minted for it alone, never the agent's
        headers.add(new Header("Authorization", "Bearer " + tokens.mint(route.teamId(), agent.subject())));
        String forwardedFor = request.getHeader("X-Forwarded-For");
        headers.add(new Header(
                "X-Forwarded-For",
                forwardedFor == null ? request.getRemoteAddr() : forwardedFor + ", " + request.getRemoteAddr()));
        headers.add(new Header("X-Forwarded-Proto", request.getScheme()));
        if (request.getHeader("Host") != null) {
            headers.add(new Header("X-Forwarded-Host", request.getHeader("Host")));
        }
        if (route.machineId() != null) {
            headers.add(new Header(instanceHeader, route.machineId()));
        }
        return new UpstreamRequest(request.getMethod(), route.upstream(), headers);
    }

    /** One attempt at sending it, with the whole body; each attempt is a fresh request. */
    HttpRequest attempt(byte[] body, Duration timeout) {
        var request = HttpRequest.newBuilder(upstream)
                .timeout(timeout)
                .method(
                        method,
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(header -> request.header(header.name(), header.value()));
        return request.build();
    }
}
