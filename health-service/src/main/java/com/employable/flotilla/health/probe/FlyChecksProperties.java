package com.employable.flotilla.health.probe;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code fly-checks} address mode, under {@code flotilla.health.fly}: where the Fly Machines API is and which
 * machine check holds the MCP-level verdict. Only read when {@code FLOTILLA_HEALTH_PROBE_ADDRESS=fly-checks}.
 *
 * @param apiUrl the Machines API ({@code FLOTILLA_FLY_API_URL}, as the provisioner's), local-fly's URL in development
 * @param token a Fly token that may read the team apps' machines ({@code FLY_API_TOKEN}; a read-only org token is
 *     enough); never logged
 * @param check the name of the machine check whose result is the verdict (the provisioner writes {@code mcp})
 * @param listInterval the least time between two listings of one app's machines: Fly allows 1 request per second per
 *     action and app (bursts of 3); probes of an app within it share the last listing
 * @param maxResponseBytes the largest listing read; a larger one is an inconclusive probe, not buffered
 */
@ConfigurationProperties("flotilla.health.fly")
public record FlyChecksProperties(
        @DefaultValue("https://api.machines.dev") URI apiUrl,
        @DefaultValue("") String token,
        @DefaultValue("mcp") String check,
        @DefaultValue("1s") Duration listInterval,
        @DefaultValue("1048576") int maxResponseBytes) {

    public FlyChecksProperties {
        if (apiUrl == null || apiUrl.getHost() == null) {
            throw new IllegalArgumentException("flotilla.health.fly.api-url must be an absolute URL");
        }
        if (check == null || check.isBlank()) {
            throw new IllegalArgumentException("flotilla.health.fly.check must name a machine check");
        }
        if (listInterval == null || listInterval.toMillis() < 100) {
            throw new IllegalArgumentException("flotilla.health.fly.list-interval must be at least 100ms");
        }
        if (maxResponseBytes < 1024) {
            throw new IllegalArgumentException("flotilla.health.fly.max-response-bytes must be at least 1024");
        }
    }

    /** The header Fly expects: macaroon tokens ({@code FlyV1 ...}) as they are, others as bearer tokens. */
    String authorization() {
        return token.startsWith("FlyV1 ") ? token : "Bearer " + token;
    }

    @Override
    public String toString() {
        return "FlyChecksProperties[apiUrl=" + apiUrl + ", token=" + (token.isBlank() ? "(none)" : "***") + ", check="
                + check + ", listInterval=" + listInterval + ", maxResponseBytes=" + maxResponseBytes + "]";
    }
}
