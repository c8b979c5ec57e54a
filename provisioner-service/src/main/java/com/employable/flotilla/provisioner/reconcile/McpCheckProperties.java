package com.employable.flotilla.provisioner.reconcile;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code mcp} machine check every team machine gets (under {@code flotilla.provisioner.mcp-check}, e.g.
 * {@code FLOTILLA_PROVISIONER_MCPCHECK_INTERVAL=3s}): flyd asks the team server's {@code /healthz/mcp} for an
 * MCP-level self-check this often while the machine runs, and the health-service reads the result back through the
 * Machines API ({@code fly-checks} mode).
 *
 * @param interval how often flyd runs the check; at most a quarter of the health-service's interval, so that a server
 *     breaking while awake is judged within two of its intervals (each poll then sees a new run)
 * @param timeout how long flyd waits for an answer; above the team server's own 4 s self-check deadline, so a hung
 *     server is reported by the server as {@code timeout} rather than cut off
 * @param gracePeriod how long after a start flyd waits before the first run
 */
@ConfigurationProperties("flotilla.provisioner.mcp-check")
public record McpCheckProperties(
        @DefaultValue("3s") Duration interval,
        @DefaultValue("5s") Duration timeout,
        @DefaultValue("2s") Duration gracePeriod) {

    public McpCheckProperties {
        if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("flotilla.provisioner.mcp-check.interval must be at least 1s");
        }
        if (timeout == null || timeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("flotilla.provisioner.mcp-check.timeout must be at least 1s");
        }
        if (gracePeriod == null || gracePeriod.isNegative()) {
            throw new IllegalArgumentException("flotilla.provisioner.mcp-check.grace-period must not be negative");
        }
    }

    public static McpCheckProperties defaults() {
        return new McpCheckProperties(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(2));
    }

    /** A duration as Fly writes one: whole seconds as {@code "3s"}, anything finer in milliseconds. */
    static String fly(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
