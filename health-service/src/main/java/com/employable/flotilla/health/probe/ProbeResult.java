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
 */
public record ProbeResult(
        Instant checkedAt, long latencyMs, ProbeFailure failure, String protocolVersion, Integer toolCount) {

    public static ProbeResult success(Instant checkedAt, long latencyMs, String protocolVersion, Integer toolCount) {
        return new ProbeResult(checkedAt, latencyMs, null, protocolVersion, toolCount);
    }

    public static ProbeResult failure(Instant checkedAt, long latencyMs, ProbeFailure failure) {
        return new ProbeResult(checkedAt, latencyMs, failure, null, null);
    }

    public boolean succeeded() {
        return failure == null;
    }
}
