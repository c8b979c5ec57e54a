package com.employable.flotilla.registry.api;

import com.employable.flotilla.common.events.server.Endpoint;
import com.employable.flotilla.registry.auth.AuthProperties;
import com.employable.flotilla.registry.discovery.RegisteredServer;
import com.employable.flotilla.registry.system.PublicUrls;
import com.employable.flotilla.registry.system.RegistryProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Builds the MCP client configuration for a team: always the gateway URL, never the team server's own. */
@Component
class McpClients {

    static final String TOKEN_PLACEHOLDER = "${EMPLOYABLE_ACCESS_TOKEN}";

    private final PublicUrls urls;

    private final AuthProperties auth;

    private final RegistryProperties registry;

    McpClients(PublicUrls urls, AuthProperties auth, RegistryProperties registry) {
        this.urls = urls;
        this.auth = auth;
        this.registry = registry;
    }

    ServerDetails.McpClient forServer(RegisteredServer server, HttpServletRequest request) {
        String teamId = server.view().teamId();
        String url = urls.gateway(teamId, request);
        Endpoint endpoint = server.view().endpoint();
        String protocolVersion = endpoint != null ? endpoint.protocolVersion() : registry.protocolVersion();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("type", "http");
        entry.put("url", url);
        entry.put("headers", Map.of("Authorization", "Bearer " + TOKEN_PLACEHOLDER));
        return new ServerDetails.McpClient(
                url,
                Endpoint.STREAMABLE_HTTP,
                protocolVersion,
                new ServerDetails.Auth(
                        "bearer", urls.resourceMetadata(teamId, request), auth.authorizationServersOrIssuer()),
                Map.of("mcpServers", Map.of("flotilla-" + teamId, entry)));
    }
}
