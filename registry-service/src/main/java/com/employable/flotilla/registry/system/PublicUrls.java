package com.employable.flotilla.registry.system;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/** The URLs clients see: the gateway URL of a team and its RFC 9728 metadata document. */
@Component
public class PublicUrls {

    private final RegistryProperties properties;

    PublicUrls(RegistryProperties properties) {
        this.properties = properties;
    }

    public String gateway(String teamId, HttpServletRequest request) {
        return base(request) + "/" + teamId + "/mcp";
    }

    public String resourceMetadata(String teamId, HttpServletRequest request) {
        return base(request) + "/.well-known/oauth-protected-resource/" + teamId + "/mcp";
    }

    /** The configured public base URL; without one, the scheme, host and port this request arrived on. */
    private String base(HttpServletRequest request) {
        String configured = properties.baseUrl();
        if (configured != null) {
            return configured;
        }
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port) + request.getContextPath();
    }
}
