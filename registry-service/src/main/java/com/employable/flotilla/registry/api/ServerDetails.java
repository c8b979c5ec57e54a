package com.employable.flotilla.registry.api;

import com.employable.flotilla.common.events.registry.ServerStatus;
import com.employable.flotilla.common.events.server.Endpoint;
import com.employable.flotilla.registry.discovery.Failure;
import com.employable.flotilla.registry.discovery.RegisteredServer;
import com.employable.flotilla.registry.discovery.ServerView;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A team's MCP server as the API serves it: the registry entry, and how to connect an MCP client to it.
 *
 * @param teamId the team
 * @param status whether the server is usable
 * @param version monotonic per team: a reader keeps the highest
 * @param updatedAt when the registry last changed the entry
 * @param app the team's Fly app, once provisioned
 * @param region where its machines run, once provisioned
 * @param endpoint where the team's server itself answers (agents connect through {@code mcpClient.url} instead)
 * @param machines the server's machines, with Fly state and health
 * @param failure why the latest provisioning attempt failed, while that is the latest outcome
 * @param mcpClient how to connect an MCP client: through the registry's gateway
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ServerDetails(
        String teamId,
        ServerStatus status,
        long version,
        Instant updatedAt,
        String app,
        String region,
        Endpoint endpoint,
        List<ServerView.Machine> machines,
        Failure failure,
        McpClient mcpClient) {

    static ServerDetails of(RegisteredServer server, McpClient client) {
        ServerView view = server.view();
        return new ServerDetails(
                view.teamId(),
                view.status(),
                server.version(),
                server.updatedAt(),
                view.app(),
                view.region(),
                view.endpoint(),
                view.machines(),
                view.failure(),
                client);
    }

    /**
     * @param url the gateway URL to give an MCP client
     * @param transport the MCP transport
     * @param protocolVersion the newest MCP protocol version the server speaks
     * @param auth how the client authenticates
     * @param config a ready-to-paste client configuration ({@code mcpServers} format, as Claude, Cursor and others
     * read it); replace the placeholder with the user's employable access token
     */
    record McpClient(String url, String transport, String protocolVersion, Auth auth, Map<String, Object> config) {}

    /**
     * @param type always {@code bearer}: an employable access token in the {@code Authorization} header
     * @param resourceMetadata the RFC 9728 protected resource metadata of the gateway URL
     * @param authorizationServers where tokens come from
     */
    record Auth(String type, String resourceMetadata, List<String> authorizationServers) {}
}
