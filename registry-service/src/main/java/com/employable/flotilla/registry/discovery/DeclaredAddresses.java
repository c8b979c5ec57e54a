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
 * The app and endpoint a provisioner event states must be the ones {@link TeamAddresses} derives for its team. The
 * registry never uses them (it derives them itself), but an event that disagrees was forged or comes from a
 * misconfigured provisioner, and is dead-lettered with the field named rather than applied.
 */
final class DeclaredAddresses {

    private DeclaredAddresses() {}

    /** @throws InvalidEventException naming the first field that differs from the derived value */
    static void check(ServerLifecycleEvent event, TeamAddresses addresses) {
        String teamId = event.teamId();
        String app = addresses.appName(teamId);
        switch (event) {
            case ServerProvisioned p -> {
                check(teamId, "app", p.app(), app);
                check(teamId, p.endpoint(), addresses);
            }
            case ServerUpdated u -> {
                check(teamId, "app", u.app(), app);
                check(teamId, u.endpoint(), addresses);
            }
            case ServerSuspended s -> check(teamId, "app", s.app(), app);
            case ServerResumed r -> check(teamId, "app", r.app(), app);
            case ServerDeprovisioned d -> check(teamId, "app", d.app(), app);
            case MachineStateChanged m -> check(teamId, "app", m.app(), app);
            // a failure names no app or endpoint: nothing to compare
            case ServerProvisioningFailed f -> {}
        }
    }

    private static void check(String teamId, Endpoint endpoint, TeamAddresses addresses) {
        check(teamId, "endpoint.url", endpoint.url(), addresses.endpointUrl(teamId));
        if (endpoint.privateUrl() != null) {
            check(teamId, "endpoint.privateUrl", endpoint.privateUrl(), addresses.privateEndpointUrl(teamId));
        }
    }

    private static void check(String teamId, String field, String declared, String derived) {
        if (!Objects.equals(declared, derived)) {
            throw new InvalidEventException(field + " '" + printable(declared) + "' is not team " + teamId + "'s ("
                    + derived + ", derived from flotilla.teams.*)");
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
