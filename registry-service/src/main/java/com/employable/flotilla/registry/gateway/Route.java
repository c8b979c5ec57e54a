package com.employable.flotilla.registry.gateway;

import java.net.URI;

/**
 * Where one gateway request goes.
 *
 * @param teamId the team
 * @param app the team's Fly app
 * @param upstream the team server's MCP endpoint
 * @param machineId the machine the request is pinned to; null lets the team's proxy choose
 * @param sessionId the request's {@code Mcp-Session-Id}, if any
 * @param wakeExpected whether the target may be stopped or suspended, so the first answer may take a start-up
 */
record Route(String teamId, String app, URI upstream, String machineId, String sessionId, boolean wakeExpected) {

    boolean opensSession() {
        return sessionId == null && machineId != null;
    }
}
