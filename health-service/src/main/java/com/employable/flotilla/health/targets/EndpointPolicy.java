package com.employable.flotilla.health.targets;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

import com.employable.flotilla.common.events.server.Endpoint;

/**
 * Picks the URL a team's machines are probed at from what the registry published, and refuses anything a bearer
 * token should not be sent to. Probes go nowhere else: no URL is ever taken from a response or a redirect.
 */
final class EndpointPolicy {

    private final boolean preferPrivateUrl;

    private final List<String> allowedHosts;

    EndpointPolicy(TargetsProperties properties) {
        this.preferPrivateUrl = properties.preferPrivateUrl();
        this.allowedHosts = properties.allowedHosts().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** The URL to probe, or why there is none. */
    Choice choose(Endpoint endpoint) {
        if (endpoint == null) {
            return Choice.refused("no endpoint published yet");
        }
        if (!Endpoint.STREAMABLE_HTTP.equals(endpoint.transport())) {
            return Choice.refused("transport '" + endpoint.transport() + "' is not probed (only streamable-http)");
        }
        boolean usePrivate = preferPrivateUrl && endpoint.privateUrl() != null && !endpoint.privateUrl().isBlank();
        String chosen = usePrivate ? endpoint.privateUrl() : endpoint.url();
        URI uri;
        try {
            uri = new URI(chosen.trim());
        }
        catch (URISyntaxException malformed) {
            return Choice.refused("endpoint is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            return Choice.refused("endpoint must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return Choice.refused("endpoint has no host");
        }
        if (uri.getRawUserInfo() != null) {
            return Choice.refused("endpoint must not carry credentials");
        }
        if (uri.getRawFragment() != null) {
            return Choice.refused("endpoint must not have a fragment");
        }
        if (!hostAllowed(uri.getHost().toLowerCase(Locale.ROOT))) {
            return Choice.refused("endpoint host " + uri.getHost() + " is not in flotilla.health.targets.allowed-hosts");
        }
        return new Choice(uri, null);
    }

    private boolean hostAllowed(String host) {
        if (allowedHosts.isEmpty()) {
            return true;
        }
        for (String pattern : allowedHosts) {
            if (pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : host.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /** A URL to probe, or the reason there is none. */
    record Choice(URI uri, String refusal) {

        static Choice refused(String why) {
            return new Choice(null, why);
        }
    }
}
