package com.employable.flotilla.health.targets;

import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.events.registry.RegistryEntry;
import com.employable.flotilla.common.events.registry.RegistryMachine;
import com.employable.flotilla.common.events.server.Endpoint;
import com.employable.flotilla.common.teams.TeamAddresses;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a team's machines are probed: derived from configuration, the team id and the team's app ({@link
 * TeamAddresses}), never taken from the registry entry. The app an entry names is accepted only when it is the team's
 * own app or a warm-pool app; the probe carries a bearer token made for that team, so an entry naming any other app,
 * address or machine id is not a registry entry this service accepts: it is refused whole (and so dead-lettered with
 * the field named) rather than half-applied.
 */
final class TeamEndpoints {

    private static final int SHOWN = 100;

    private final TeamAddresses addresses;

    private final TargetsProperties.Address address;

    /** The Fly Machines API's base URL, where {@code fly-checks} mode reads each machine. */
    private final URI flyApiUrl;

    TeamEndpoints(TeamAddresses addresses, TargetsProperties.Address address, URI flyApiUrl) {
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.address = Objects.requireNonNull(address, "address");
        this.flyApiUrl = Objects.requireNonNull(flyApiUrl, "flyApiUrl");
    }

    /**
     * Checks that what the entry publishes is the team's own, and returns the team's app.
     *
     * @return the app the team's server runs in: the entry's {@code app} once validated, else the team's own app
     * @throws InvalidEventException naming {@code app} when the entry names an app that is neither the team's nor a
     * warm-pool app; {@code endpoint.url} or {@code endpoint.privateUrl} when either is not the address derived for
     * that app (compared in canonical form); {@code machines[].machineId} when machines are probed at their own
     * address, or read from the Machines API, and an id could name anything but a machine; or the team id when it
     * cannot name a team app
     */
    String requireOwn(RegistryEntry entry) {
        String app = entry.app() == null
                ? addresses.appName(entry.teamId())
                : addresses.requireServerApp(entry.teamId(), entry.app(), "app");
        Endpoint endpoint = entry.endpoint();
        if (endpoint != null) {
            requireSame("endpoint.url", endpoint.url(), addresses.endpointUrlOfApp(app), app);
            if (endpoint.privateUrl() != null) {
                requireSame("endpoint.privateUrl", endpoint.privateUrl(), addresses.privateEndpointUrlOfApp(app), app);
            }
        }
        if (address == TargetsProperties.Address.MACHINE || address == TargetsProperties.Address.FLY_CHECKS) {
            // any listed machine may start later; its id becomes part of a host name or an API path then
            for (RegistryMachine machine : entry.machines()) {
                try {
                    addresses.machineUrl(app, machine.machineId());
                } catch (InvalidEventException notAMachineId) {
                    throw new InvalidEventException("machines[]." + notAMachineId.getMessage());
                }
            }
        }
        return app;
    }

    /** The URL a machine of the (validated) app is probed at. */
    URI probeUrl(String app, String machineId) {
        return URI.create(
                switch (address) {
                    case MACHINE -> addresses.machineUrl(app, machineId);
                    case PRIVATE -> addresses.privateEndpointUrlOfApp(app);
                    case PUBLIC -> addresses.endpointUrlOfApp(app);
                    case FLY_CHECKS ->
                        flyApiUrl.toString().replaceAll("/+$", "") + "/v1/apps/" + app + "/machines/" + machineId;
                });
    }

    /** Whether Fly Proxy routes the probes, which then name their machine with {@code fly-force-instance-id}. */
    boolean throughProxy() {
        return address == TargetsProperties.Address.PUBLIC || address == TargetsProperties.Address.PRIVATE;
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
        String flat = value.replaceAll("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}]", "?");
        return flat.length() <= SHOWN ? flat : flat.substring(0, SHOWN) + "...";
    }
}
