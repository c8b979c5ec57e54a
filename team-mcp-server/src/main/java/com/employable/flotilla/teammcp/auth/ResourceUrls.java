package com.employable.flotilla.teammcp.auth;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

/**
 * This server's canonical resource URL (RFC 8707 / RFC 9728 {@code resource}) and the URL of its protected-resource
 * metadata, for the {@code resource_metadata} parameter of a 401 challenge. Configured, or derived from the request
 * (behind Fly's proxy the scheme comes from {@code X-Forwarded-Proto}).
 */
public final class ResourceUrls {

    static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";
    private static final Pattern SAFE_HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?");

    private final Optional<URI> configured;
    private final String mcpEndpoint;

    public ResourceUrls(Optional<URI> configured, String mcpEndpoint) {
        this.configured = configured;
        this.mcpEndpoint = mcpEndpoint;
    }

    /** Paths at which the metadata document is served: the root form and the form for the MCP endpoint's path. */
    public Set<String> metadataPaths() {
        var paths = new LinkedHashSet<>(List.of(WELL_KNOWN, WELL_KNOWN + mcpEndpoint));
        configured.map(URI::getRawPath).filter(path -> !path.isEmpty() && !"/".equals(path))
                .ifPresent(path -> paths.add(WELL_KNOWN + path));
        return paths;
    }

    public String resource(HttpServletRequest request) {
        return configured.map(URI::toString).orElseGet(() -> origin(request) + mcpEndpoint);
    }

    String metadataUrl(HttpServletRequest request) {
        if (configured.isPresent()) {
            URI uri = configured.get();
            String path = uri.getRawPath() == null || "/".equals(uri.getRawPath()) ? "" : uri.getRawPath();
            return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority() + WELL_KNOWN + path;
        }
        return origin(request) + WELL_KNOWN + mcpEndpoint;
    }

    private static String origin(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-Proto");
        String scheme = forwarded != null && forwarded.trim().toLowerCase(Locale.ROOT).matches("https?")
                ? forwarded.trim().toLowerCase(Locale.ROOT) : request.getScheme();
        String host = request.getHeader("Host");
        if (host == null || !SAFE_HOST.matcher(host).matches()) {
            host = request.getServerName() + ":" + request.getServerPort();
        }
        return scheme + "://" + host.toLowerCase(Locale.ROOT);
    }
}
