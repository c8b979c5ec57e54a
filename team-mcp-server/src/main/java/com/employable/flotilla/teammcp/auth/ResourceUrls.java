package com.employable.flotilla.teammcp.auth;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * This server's canonical resource URL (RFC 8707 / RFC 9728 {@code resource}) and the URL of its protected-resource
 * metadata, for the {@code resource_metadata} parameter of a 401 challenge. Both come from configuration only, never
 * from a request: a {@code Host} or {@code X-Forwarded-*} header would let anyone who can reach the server (or poison
 * a cache in front of it) point clients at an authorization server of their choosing (audit finding 10b).
 *
 * <p>{@code FLOTILLA_RESOURCE_URL} names it; the provisioner always sets it and the server refuses to start on Fly
 * without it. Elsewhere (tests, a developer's machine) the default is this server's loopback URL, which is only ever
 * right for a client on the same machine and so is served with {@code no-store}.
 */
public final class ResourceUrls {

    static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    private final Optional<URI> configured;
    private final String mcpEndpoint;
    private final IntSupplier boundPort;

    /**
     * @param configured the configured resource URL, if any
     * @param mcpEndpoint the MCP endpoint's path
     * @param boundPort the port the server listens on, asked only when nothing is configured (and only once it is
     *                  bound: requests arrive after that)
     */
    public ResourceUrls(Optional<URI> configured, String mcpEndpoint, IntSupplier boundPort) {
        this.configured = configured;
        this.mcpEndpoint = mcpEndpoint;
        this.boundPort = boundPort;
    }

    /** Paths at which the metadata document is served: the root form and the form for the MCP endpoint's path. */
    public Set<String> metadataPaths() {
        var paths = new LinkedHashSet<>(List.of(WELL_KNOWN, WELL_KNOWN + mcpEndpoint));
        configured
                .map(URI::getRawPath)
                .filter(path -> !path.isEmpty() && !"/".equals(path))
                .ifPresent(path -> paths.add(WELL_KNOWN + path));
        return paths;
    }

    /** Whether the URLs come from configuration, so the metadata document may be cached. */
    public boolean configured() {
        return configured.isPresent();
    }

    public String resource() {
        return configured.map(URI::toString).orElseGet(() -> loopbackOrigin() + mcpEndpoint);
    }

    String metadataUrl() {
        if (configured.isPresent()) {
            URI uri = configured.get();
            String path = uri.getRawPath() == null || "/".equals(uri.getRawPath()) ? "" : uri.getRawPath();
            return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority() + WELL_KNOWN + path;
        }
        return loopbackOrigin() + WELL_KNOWN + mcpEndpoint;
    }

    private String loopbackOrigin() {
        return "http://localhost:" + boundPort.getAsInt();
    }
}
