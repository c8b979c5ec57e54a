package com.employable.flotilla.registry.discovery;

import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.events.server.Endpoint;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.events.server.ServerDeprovisioned;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.common.events.server.ServerProvisioningFailed;
import com.employable.flotilla.common.events.server.ServerResumed;
import com.employable.flotilla.common.events.server.ServerSuspended;
import com.employable.flotilla.common.events.server.ServerUpdated;
import com.employable.flotilla.common.teams.TeamAddresses;
import java.util.Objects;

/**
 * The app a provisioner event names must be one a team's server may run in ({@link TeamAddresses#requireServerApp}:
 * the team's own {@code flotilla-team-<team>} app or a claimed warm-pool app), and the endpoint it states must be the
 * one {@link TeamAddresses} derives for that app. The registry uses only the validated app and derives every URL from
 * it itself; an event that disagrees was forged or comes from a misconfigured provisioner, and is dead-lettered with
 * the field named rather than applied.
 */
final class DeclaredAddresses {

    private DeclaredAddresses() {}

    /** @throws InvalidEventException naming the first field that is not what the registry accepts or derives */
    static void check(ServerLifecycleEvent event, TeamAddresses addresses) {
        String teamId = event.teamId();
        switch (event) {
            case ServerProvisioned p ->
                check(teamId, addresses.requireServerApp(teamId, p.app(), "app"), p.endpoint(), addresses);
            case ServerUpdated u ->
                check(teamId, addresses.requireServerApp(teamId, u.app(), "app"), u.endpoint(), addresses);
            case ServerSuspended s -> addresses.requireServerApp(teamId, s.app(), "app");
            case ServerResumed r -> addresses.requireServerApp(teamId, r.app(), "app");
            case ServerDeprovisioned d -> addresses.requireServerApp(teamId, d.app(), "app");
            case MachineStateChanged m -> addresses.requireServerApp(teamId, m.app(), "app");
            // a failure names no app or endpoint: nothing to compare
            case ServerProvisioningFailed f -> {}
        }
    }

    private static void check(String teamId, String app, Endpoint endpoint, TeamAddresses addresses) {
        check(teamId, app, "endpoint.url", endpoint.url(), addresses.endpointUrlOfApp(app));
        if (endpoint.privateUrl() != null) {
            check(teamId, app, "endpoint.privateUrl", endpoint.privateUrl(), addresses.privateEndpointUrlOfApp(app));
        }
    }

    private static void check(String teamId, String app, String field, String declared, String derived) {
        if (!Objects.equals(declared, derived)) {
            throw new InvalidEventException(field + " '" + printable(declared) + "' is not the endpoint of team "
                    + teamId + "'s app " + app + " (" + derived + ", derived from flotilla.teams.*)");
        }
    }

    private static String printable(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return shown.length() <= 100 ? shown : shown.substring(0, 100) + "...";
    }
}
