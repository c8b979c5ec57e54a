package com.employable.flotilla.registry.gateway;

import java.net.URI;

/**
 * Where one gateway request goes.
 *
 * @param teamId the team
 * @param app the team's Fly app
 * @param upstream the team server's MCP endpoint, derived from the validated app
 * @param wakeUri what the gateway asks for to wake a sleeping server (its unauthenticated health path, beside the
 * endpoint); null when no wake is expected, and in fly-replay mode, where Fly Proxy wakes it
 * @param machineId the machine the request is pinned to; null lets the team's proxy choose
 * @param sessionId the request's {@code Mcp-Session-Id}, if any
 * @param wakeExpected whether the registry believes the target (or, without one, every machine) is not started, so
 * the server is woken before the request is sent
 */
record Route(
        String teamId,
        String app,
        URI upstream,
        URI wakeUri,
        String machineId,
        String sessionId,
        boolean wakeExpected) {

    boolean opensSession() {
        return sessionId == null && machineId != null;
    }
}
