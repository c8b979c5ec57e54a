package com.employable.flotilla.health.probe;

import com.employable.flotilla.common.events.health.ProbeFailure;
import java.time.Instant;

/**
 * What one probe found.
 *
 * @param checkedAt when the probe started
 * @param latencyMs from the start to the answer of the last step, or to the failure
 * @param failure why it failed; {@code null} when the server answered MCP
 * @param protocolVersion the negotiated MCP protocol version, when {@code initialize} succeeded
 * @param toolCount how many tools the first {@code tools/list} page held, when listed
 * @param inconclusive why the probe brought no evidence either way ({@code fly-checks} mode: the Machines API could
 *     not be read, the check has not run since the machine started, no new run since the last poll); such a result
 *     never moves a verdict. {@code null} for a success or a failure
 */
public record ProbeResult(
        Instant checkedAt,
        long latencyMs,
        ProbeFailure failure,
        String protocolVersion,
        Integer toolCount,
        String inconclusive) {

    public ProbeResult(
            Instant checkedAt, long latencyMs, ProbeFailure failure, String protocolVersion, Integer toolCount) {
        this(checkedAt, latencyMs, failure, protocolVersion, toolCount, null);
    }

    public static ProbeResult success(Instant checkedAt, long latencyMs, String protocolVersion, Integer toolCount) {
        return new ProbeResult(checkedAt, latencyMs, null, protocolVersion, toolCount, null);
    }

    public static ProbeResult failure(Instant checkedAt, long latencyMs, ProbeFailure failure) {
        return new ProbeResult(checkedAt, latencyMs, failure, null, null, null);
    }

    public static ProbeResult inconclusive(Instant checkedAt, long latencyMs, String reason) {
        return new ProbeResult(checkedAt, latencyMs, null, null, null, reason);
    }

    /** The server answered MCP. */
    public boolean succeeded() {
        return failure == null && inconclusive == null;
    }

    /** A success or a failure: evidence a verdict counts. */
    public boolean conclusive() {
        return inconclusive == null;
    }
}
