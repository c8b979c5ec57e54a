package com.employable.flotilla.health;

import com.employable.flotilla.health.probe.ProbeTokens;
import com.employable.flotilla.health.support.SdkMcpServer;

/** The acceptance scenarios against an MCP server built on the SDK's server classes (always available). */
class SdkServerHealthIT extends HealthScenarios {

    @Override
    TeamServer start(String teamId, ProbeTokens tokens) {
        SdkMcpServer server = SdkMcpServer.start(tokens.tokenFor(teamId));
        return new TeamServer() {
            @Override
            public String endpoint() {
                return server.endpoint(teamId);
            }

            @Override
            public void stop() {
                server.stop();
            }

            @Override
            public void restart() {
                server.restart();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
