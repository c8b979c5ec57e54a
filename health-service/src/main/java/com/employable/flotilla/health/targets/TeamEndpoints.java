package com.employable.flotilla.health.targets;

import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.events.registry.RegistryEntry;
import com.employable.flotilla.common.events.server.Endpoint;
import com.employable.flotilla.common.teams.TeamAddresses;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a team's machines are probed: derived from configuration and the team id alone ({@link TeamAddresses}),
 * never taken from the registry entry. The probe carries a bearer token made for that team, so an entry naming any
 * other address is not a registry entry this service accepts: it is refused whole (and so dead-lettered with the
 * field named) rather than half-applied.
 */
final class TeamEndpoints {

    private static final int SHOWN = 100;

    private final TeamAddresses addresses;

    private final TargetsProperties.Address address;

    TeamEndpoints(TeamAddresses addresses, TargetsProperties.Address address) {
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.address = Objects.requireNonNull(address, "address");
    }

    /**
     * Checks that what the entry publishes is the team's own address.
     *
     * @throws InvalidEventException naming {@code endpoint.url} or {@code endpoint.privateUrl} when either is not the
     * address derived for the team (compared in canonical form), or when the team id cannot name a team app
     */
    void requireOwn(RegistryEntry entry) {
        Endpoint endpoint = entry.endpoint();
        String app = addresses.appName(entry.teamId());
        if (endpoint == null) {
            return;
        }
        requireSame("endpoint.url", endpoint.url(), addresses.endpointUrl(entry.teamId()), app);
        if (endpoint.privateUrl() != null) {
            requireSame(
                    "endpoint.privateUrl", endpoint.privateUrl(), addresses.privateEndpointUrl(entry.teamId()), app);
        }
    }

    /** The URL the team's machines are probed at. */
    URI probeUrl(String teamId) {
        return URI.create(
                address == TargetsProperties.Address.PRIVATE
                        ? addresses.privateEndpointUrl(teamId)
                        : addresses.endpointUrl(teamId));
    }

    private static void requireSame(String field, String published, String derived, String app) {
        if (!canonical(derived).equals(canonical(published))) {
            throw new InvalidEventException(field + " '" + shown(published) + "' is not the address of the team's app "
                    + app + " (" + derived + ")");
        }
    }

    /**
     * A URL as a host sees it: scheme and host in lower case, the default port made explicit, path and query exact.
     * Anything a URL could hide a second host in (user info, a fragment, no host) never equals a derived address.
     */
    static String canonical(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException | RuntimeException malformed) {
            return "invalid:" + url;
        }
        if (!uri.isAbsolute()
                || uri.isOpaque()
                || uri.getHost() == null
                || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            return "invalid:" + url;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** The published value as an operator may see it in a dead letter: one line, cut short. */
    private static String shown(String value) {
        String flat = value.replaceAll("\\p{Cntrl}", "?");
        return flat.length() <= SHOWN ? flat : flat.substring(0, SHOWN) + "...";
    }
}
