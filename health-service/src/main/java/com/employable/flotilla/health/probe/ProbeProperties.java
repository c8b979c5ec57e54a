package com.employable.flotilla.health.probe;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How one probe talks to a team's MCP server, under {@code flotilla.health.probe}.
 *
 * @param method the request sent after {@code initialize}: {@code tools-list} (proves the server can serve its tools;
 * falls back to {@code ping} when the server declares no tools capability) or {@code ping}
 * @param connectTimeout TCP (and TLS) connection set-up
 * @param initializeTimeout the {@code initialize} exchange, including {@code notifications/initialized}
 * @param requestTimeout the request after {@code initialize}
 * @param closeTimeout closing the session ({@code DELETE}); a slow close never changes the verdict
 * @param maxResponseBytes the largest single MCP message read from a server; a larger one fails the probe
 * ({@code protocol}) instead of being buffered
 * @param httpThreads for the {@code sdk} client: threads completing its non-blocking HTTP exchanges
 * @param probeThreads for the {@code streamable-http} client: probes running at once, each blocking its thread on
 * its server (a healthy one for milliseconds, a hung one for at most a step timeout); more waiting probes queue
 * @param client {@code streamable-http} (the default: the MCP conversation spoken directly over OkHttp, the
 * fleet-scale probe) or {@code sdk} (the official SDK's async client per probe: exactly what an SDK agent sees, at
 * about ten times the CPU per probe)
 */
@ConfigurationProperties("flotilla.health.probe")
public record ProbeProperties(
        @DefaultValue("tools-list") Method method,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("5s") Duration initializeTimeout,
        @DefaultValue("5s") Duration requestTimeout,
        @DefaultValue("2s") Duration closeTimeout,
        @DefaultValue("262144") int maxResponseBytes,
        @DefaultValue("2") int httpThreads,
        @DefaultValue("256") int probeThreads,
        @DefaultValue("streamable-http") Client client) {

    public ProbeProperties {
        positive(connectTimeout, "connect-timeout");
        positive(initializeTimeout, "initialize-timeout");
        positive(requestTimeout, "request-timeout");
        positive(closeTimeout, "close-timeout");
        if (maxResponseBytes < 1024) {
            throw new IllegalArgumentException("flotilla.health.probe.max-response-bytes must be at least 1024");
        }
        if (httpThreads < 1) {
            throw new IllegalArgumentException("flotilla.health.probe.http-threads must be at least 1");
        }
        if (probeThreads < 1) {
            throw new IllegalArgumentException("flotilla.health.probe.probe-threads must be at least 1");
        }
    }

    /** The longest a probe can take from start to verdict (the close is not part of it). */
    public Duration verdictDeadline() {
        return initializeTimeout.plus(requestTimeout);
    }

    private static void positive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("flotilla.health.probe." + name + " must be positive");
        }
    }

    /** Which client speaks MCP to the team servers. */
    public enum Client {
        STREAMABLE_HTTP,

        SDK
    }

    /** The MCP request that follows {@code initialize}. */
    public enum Method {
        TOOLS_LIST("tools/list"),

        PING("ping");

        private final String rpcName;

        Method(String rpcName) {
            this.rpcName = rpcName;
        }

        public String rpcName() {
            return rpcName;
        }
    }
}
