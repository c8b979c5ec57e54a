package com.employable.flotilla.health.targets;

import com.employable.flotilla.common.events.registry.ServerStatus;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which registered machines are probed, and at which of the team's addresses, under {@code flotilla.health.targets}.
 * The address itself is never configured per team nor read from the registry: it is derived from the team's app
 * through {@code flotilla.teams.*} (the same templates the provisioner publishes from).
 *
 * @param address which derived address to probe: {@code machine} (the default, {@code
 * flotilla.teams.machine-url-template}: each machine straight over the private network, which Fly Proxy never sees,
 * so a probe neither counts as activity for autostop nor wakes a machine), {@code public} ({@code
 * flotilla.teams.endpoint-url-template}, the URL agents use) or {@code private} ({@code
 * flotilla.teams.private-endpoint-url-template}, Flycast). Both of the latter go through Fly Proxy: every probe is
 * activity that keeps the team's server awake. {@code fly-checks} does not connect to the machine at all: it reads
 * the result of the machine's {@code mcp} check (run by flyd next to the machine) through the Fly Machines API, the
 * mode that works on Fly, where every team's app is on its own private network
 * @param machineStates machine states (as the registry reports them) that are probed; a machine in any other state
 * keeps its last verdict until it is probed again
 * @param skipStatuses registry statuses of a team whose machines are not probed at all
 */
@ConfigurationProperties("flotilla.health.targets")
public record TargetsProperties(
        @DefaultValue("machine") Address address,
        @DefaultValue("started") Set<String> machineStates,
        @DefaultValue("suspended") Set<ServerStatus> skipStatuses) {

    public TargetsProperties {
        machineStates = Set.copyOf(machineStates);
        skipStatuses = Set.copyOf(skipStatuses);
    }

    /** Which of a team's derived addresses the probes use. */
    public enum Address {
        MACHINE,
        PUBLIC,
        PRIVATE,
        FLY_CHECKS
    }
}
