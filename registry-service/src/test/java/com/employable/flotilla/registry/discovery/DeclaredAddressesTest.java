package com.employable.flotilla.registry.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.events.server.Endpoint;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.registry.support.TeamFront;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which app a provisioner event may name (the team's own, or a warm-pool app) and which endpoint it must then state;
 * anything else is refused naming the field (the listener dead-letters it with that reason).
 */
class DeclaredAddressesTest {

    private static final String POOL = "flotilla-pool-k3x9w2q8";

    @ParameterizedTest(name = "{0} in {1}, endpoint of {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # event       | app the event names          | app of the endpoint     | refused field (or ok)
            provisioned   | flotilla-team-acme           | flotilla-team-acme      | ok
            provisioned   | flotilla-pool-k3x9w2q8       | flotilla-pool-k3x9w2q8  | ok
            updated       | flotilla-pool-k3x9w2q8       | flotilla-pool-k3x9w2q8  | ok
            provisioned   | flotilla-pool-k3x9w2q8       | flotilla-team-acme      | endpoint.url
            provisioned   | flotilla-team-acme           | flotilla-pool-k3x9w2q8  | endpoint.url
            provisioned   | flotilla-team-other          | flotilla-team-other     | app
            provisioned   | flotilla-registry-service    | flotilla-registry-service| app
            provisioned   | flotilla-pool-K3X            | flotilla-pool-K3X       | app
            provisioned   | flotilla-pool-k3x9w2q8.evil  | flotilla-pool-k3x9w2q8  | app
            updated       | flotilla-team-other          | flotilla-team-acme      | app
            machine       | flotilla-pool-k3x9w2q8       | -                       | ok
            machine       | flotilla-team-acme           | -                       | ok
            machine       | flotilla-team-other          | -                       | app
            machine       | flotilla-health-service      | -                       | app
            suspended     | flotilla-pool-k3x9w2q8       | -                       | ok
            suspended     | flotilla-team-other          | -                       | app
            resumed       | flotilla-team-other          | -                       | app
            deprovisioned | flotilla-pool-k3x9w2q8       | -                       | ok
            deprovisioned | flotilla-team-other          | -                       | app
            """)
    void appsAndEndpoints(String kind, String app, String endpointApp, String refused) {
        ServerLifecycleEvent event = event(kind, app, endpointApp);

        if ("ok".equals(refused)) {
            DeclaredAddresses.check(event, TeamFront.addresses());
            return;
        }
        assertThatThrownBy(() -> DeclaredAddresses.check(event, TeamFront.addresses()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith(refused + " '");
    }

    @ParameterizedTest
    @CsvSource({"http://flotilla-pool-k3x9w2q8.flycast/mcp, ok", "http://flotilla-team-acme.flycast/mcp, refused"})
    void thePrivateUrlMustBeTheAppsToo(String privateUrl, String outcome) {
        var addresses = TeamFront.addresses();
        var good = new ServerEvents("acme").inApp(POOL).provisioned(1, 1, "m1");
        var event = new ServerProvisioned(
                good.teamId(),
                1,
                POOL,
                "fra",
                POOL,
                new Endpoint(addresses.endpointUrlOfApp(POOL), privateUrl, Endpoint.STREAMABLE_HTTP, null),
                good.machines(),
                good.image(),
                good.occurredAt());

        if ("ok".equals(outcome)) {
            DeclaredAddresses.check(event, addresses);
        } else {
            assertThatThrownBy(() -> DeclaredAddresses.check(event, addresses))
                    .hasMessageStartingWith("endpoint.privateUrl '");
        }
        assertThat(addresses.isPoolApp(POOL)).isTrue();
    }

    private static ServerLifecycleEvent event(String kind, String app, String endpointApp) {
        var events = new ServerEvents("acme").inApp(app);
        Endpoint endpoint = "-".equals(endpointApp)
                ? null
                : new ServerEvents("acme").inApp(endpointApp).endpoint();
        return switch (kind) {
            case "provisioned" -> events.provisioned(1, 1, endpoint, "m1");
            case "updated" -> {
                var updated = events.updated(2, 2, "m1");
                yield new com.employable.flotilla.common.events.server.ServerUpdated(
                        updated.teamId(),
                        updated.teamRevision(),
                        updated.app(),
                        updated.region(),
                        updated.network(),
                        endpoint,
                        updated.machines(),
                        updated.image(),
                        updated.occurredAt());
            }
            case "machine" -> events.machine("m1", "stopped", "started", 3);
            case "suspended" -> events.suspended(3, 3);
            case "resumed" -> events.resumed(4, 4);
            case "deprovisioned" -> events.deprovisioned(5, 5);
            default -> throw new IllegalArgumentException(kind);
        };
    }
}
