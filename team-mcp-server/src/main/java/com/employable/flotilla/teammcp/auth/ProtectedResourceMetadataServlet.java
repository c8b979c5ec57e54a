package com.employable.flotilla.teammcp.auth;

import com.employable.flotilla.teammcp.http.ErrorBodies;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * RFC 9728 protected-resource metadata, served without auth at both well-known forms (root, and suffixed with the MCP
 * endpoint's path) so MCP clients can discover which authorization server issues tokens for this server.
 */
public final class ProtectedResourceMetadataServlet extends HttpServlet {

    private final ResourceUrls urls;
    private final List<String> authorizationServers;

    public ProtectedResourceMetadataServlet(ResourceUrls urls, List<String> authorizationServers) {
        this.urls = urls;
        this.authorizationServers = List.copyOf(authorizationServers);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        var metadata = new LinkedHashMap<String, Object>();
        metadata.put("resource", urls.resource());
        if (!authorizationServers.isEmpty()) {
            metadata.put("authorization_servers", authorizationServers);
        }
        metadata.put("bearer_methods_supported", List.of("header"));
        metadata.put("resource_name", "Flotilla team MCP server");
        // Browser-based MCP clients read this document cross-origin before they hold any token
        response.setHeader("Access-Control-Allow-Origin", "*");
        // the loopback default is right only for a client on this machine: no cache may keep it
        response.setHeader("Cache-Control", urls.configured() ? "public, max-age=300" : "no-store");
        ErrorBodies.writeJson(response, 200, metadata);
    }
}
