package com.employable.flotilla.registry.gateway;

import com.employable.flotilla.registry.auth.Agent;
import com.employable.flotilla.registry.auth.TeamTokens;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * What the gateway sends a team server for one agent request: its method and the agent's headers, less those that
 * must not cross the gateway, with the agent's token replaced by one minted for that team alone.
 *
 * @param method the agent's HTTP method
 * @param upstream the team server's MCP endpoint
 * @param headers the headers to send, in order
 */
record UpstreamRequest(String method, URI upstream, List<Header> headers) {

    /** The methods OkHttp refuses to send without a body, and those it refuses to send with one. */
    private static final Set<String> BODY_REQUIRED = Set.of("POST", "PUT", "PATCH", "PROPPATCH", "REPORT");

    private static final Set<String> BODY_REFUSED = Set.of("GET", "HEAD");

    /** Hop-by-hop headers, headers the HTTP client sets itself, and what the gateway replaces or must not pass on. */
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

    /**
     * One attempt at sending it, with the whole body; each attempt is a fresh request, tagged with its own
     * {@link UpstreamClient.Attempt}. A body on a GET (which MCP never sends, and RFC 9110 gives no meaning) is not
     * sent on.
     */
    Request attempt(byte[] body) {
        var headers = new Headers.Builder();
        boolean acceptEncoding = false;
        for (Header header : this.headers) {
            headers.addUnsafeNonAscii(header.name(), header.value());
            acceptEncoding |= header.name().equalsIgnoreCase("Accept-Encoding");
        }
        RequestBody content = body.length > 0 && !BODY_REFUSED.contains(method)
                ? UpstreamClient.oneShot(body)
                : BODY_REQUIRED.contains(method) ? UpstreamClient.oneShot(body) : null;
        return new Request.Builder()
                .url(url())
                .headers(headers.build())
                .method(method, content)
                .tag(UpstreamClient.Attempt.class, new UpstreamClient.Attempt(acceptEncoding))
                .build();
    }

    private HttpUrl url() {
        return HttpUrl.get(upstream);
    }
}
