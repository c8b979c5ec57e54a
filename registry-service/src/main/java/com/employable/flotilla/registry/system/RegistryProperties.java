package com.employable.flotilla.registry.system;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the registry states about every server and how it presents itself.
 *
 * @param publicBaseUrl the registry's public base URL (e.g. {@code https://mcp.employable.com}): the gateway URL
 * handed to clients is {@code <publicBaseUrl>/<teamId>/mcp}; absent, it is derived from each request
 * @param protocolVersion the MCP protocol version the team servers speak, stated in entries whose provisioner event
 * named none
 * @param maxPageSize the largest page {@code GET /v1/servers} returns
 */
@ConfigurationProperties("flotilla.registry")
public record RegistryProperties(
        String publicBaseUrl,
        @DefaultValue("2025-11-25") String protocolVersion,
        @DefaultValue("500") int maxPageSize) {

    public RegistryProperties {
        publicBaseUrl = publicBaseUrl == null || publicBaseUrl.isBlank() ? null : publicBaseUrl.strip();
        if (publicBaseUrl != null) {
            URI uri = URI.create(publicBaseUrl);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new IllegalArgumentException("FLOTILLA_PUBLIC_BASE_URL must be an absolute http(s) URL");
            }
        }
        if (maxPageSize < 1) {
            throw new IllegalArgumentException("flotilla.registry.max-page-size must be at least 1");
        }
    }

    /** The base URL without a trailing slash, or null when it is derived per request. */
    public String baseUrl() {
        if (publicBaseUrl == null) {
            return null;
        }
        return publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    }
}
