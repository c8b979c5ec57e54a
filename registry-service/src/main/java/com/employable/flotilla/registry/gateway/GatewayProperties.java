package com.employable.flotilla.registry.gateway;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How the gateway reaches team servers.
 *
 * @param mode {@code proxy} (reverse proxy, replacing the agent's token; local mode and HS256 mode) or
 * {@code fly-replay} (Fly Proxy replays the request to the team's app; needs asymmetric employable tokens, which team
 * servers verify themselves)
 * @param key the gateway key (base64, at least 32 bytes) from which each team's token key is derived; required in
 * proxy mode
 * @param upstream which of the team's derived endpoint URLs ({@code flotilla.teams.*}) to proxy to: {@code url}
 * (public) or {@code private-url}; never a URL from an event
 * @param tokenTtl lifetime of the tokens forwarded to team servers (at most 10 minutes)
 * @param wakeTimeout how long a request may wait for a sleeping (stopped or suspended) server to wake before the
 * gateway answers 503 with {@code Retry-After}, not having sent the request (see {@link WakeUp})
 * @param wakePath what the gateway asks a sleeping server for to wake it, relative to its MCP endpoint: the team
 * server's unauthenticated health path ({@code healthz}: {@code https://<app>.fly.dev/healthz})
 * @param connectTimeout TCP connect timeout per attempt
 * @param responseTimeout how long a running server may take to start answering a request
 * @param retryAfter the {@code Retry-After} the gateway suggests when a server is not reachable yet
 * @param maxRequestSize the largest request body forwarded (Fly replays at most 1 MB)
 * @param bodyReadTimeout how long a client may take to send a whole request body; slower uploads get 408 (the body
 * is read without holding a thread, so this bounds memory and connection time, not threads)
 * @param maxStreamDuration the longest a proxied request, and so a streamed response (an SSE stream), is kept open;
 * clients reconnect
 * @param maxRequestsPerTeam requests of one team in flight at once on this instance (body upload included); more get
 * 429, so one team cannot take every connection
 * @param maxStreamsPerTeam standalone SSE streams ({@code GET}) of one team open at once on this instance; more get 429
 * @param sessionIdleTtl how long an unused session's machine binding is kept
 * @param sessionCacheSize session bindings kept in memory (all are in PostgreSQL)
 * @param allowedOrigins browser origins allowed to call the gateway (CORS); requests with any other
 * {@code Origin} get 403, as the MCP transport requires; requests without {@code Origin} (non-browser agents) pass
 * @param instanceHeader the request header that pins a request to one machine behind Fly Proxy (and local-fly)
 */
@ConfigurationProperties("flotilla.registry.gateway")
public record GatewayProperties(
        @DefaultValue("proxy") Mode mode,
        String key,
        @DefaultValue("url") Upstream upstream,
        @DefaultValue("5m") Duration tokenTtl,
        @DefaultValue("10s") Duration wakeTimeout,
        @DefaultValue("healthz") String wakePath,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("5m") Duration responseTimeout,
        @DefaultValue("5s") Duration retryAfter,
        @DefaultValue("1MB") DataSize maxRequestSize,
        @DefaultValue("10s") Duration bodyReadTimeout,
        @DefaultValue("10m") Duration maxStreamDuration,
        @DefaultValue("32") int maxRequestsPerTeam,
        @DefaultValue("8") int maxStreamsPerTeam,
        @DefaultValue("24h") Duration sessionIdleTtl,
        @DefaultValue("10000") int sessionCacheSize,
        @DefaultValue List<String> allowedOrigins,
        @DefaultValue("fly-force-instance-id") String instanceHeader) {

    private static final Pattern WAKE_PATH = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9._-]+)*");

    public GatewayProperties {
        key = key == null || key.isBlank() ? null : key.trim();
        allowedOrigins = allowedOrigins.stream()
                .filter(origin -> !origin.isBlank())
                .map(String::strip)
                .toList();
        if (mode == Mode.PROXY && key == null) {
            throw new IllegalArgumentException(
                    "FLOTILLA_GATEWAY_KEY is required in proxy mode: it derives the per-team token keys");
        }
        for (Duration positive :
                List.of(wakeTimeout, connectTimeout, responseTimeout, bodyReadTimeout, maxStreamDuration)) {
            if (positive.isNegative() || positive.isZero()) {
                throw new IllegalArgumentException("gateway timeouts must be positive");
            }
        }
        if (wakePath == null || !WAKE_PATH.matcher(wakePath).matches() || wakePath.contains("..")) {
            throw new IllegalArgumentException(
                    "gateway wake-path must be a relative path such as 'healthz', was '" + wakePath + "'");
        }
        if (maxRequestsPerTeam < 1 || maxStreamsPerTeam < 1) {
            throw new IllegalArgumentException("gateway per-team limits must be at least 1");
        }
        if (maxRequestSize.toBytes() < 1 || maxRequestSize.toBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("gateway max-request-size must be between 1 byte and 2 GB");
        }
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "GatewayProperties[mode=" + mode + ", key=" + (key == null ? "<none>" : "<redacted>") + ", upstream="
                + upstream + ", wakeTimeout=" + wakeTimeout + ", wakePath=" + wakePath + ", maxRequestSize="
                + maxRequestSize
                + ", bodyReadTimeout=" + bodyReadTimeout + ", maxStreamDuration=" + maxStreamDuration
                + ", maxRequestsPerTeam=" + maxRequestsPerTeam + ", maxStreamsPerTeam=" + maxStreamsPerTeam + "]";
    }

    public enum Mode {
        PROXY,
        FLY_REPLAY
    }

    public enum Upstream {
        URL,
        PRIVATE_URL
    }
}
