package com.employable.flotilla.health.targets;

import java.net.URI;

/**
 * What to probe and where: the team's MCP endpoint as derived from its id and the configured address templates.
 * Nothing an event or a response says decides where a probe (and its bearer token) goes.
 *
 * @param key team and machine
 * @param endpoint the derived MCP endpoint (public, or private when {@code flotilla.health.targets.address=private})
 * @param registryVersion the registry entry version the endpoint came from
 */
public record ProbeTarget(TargetKey key, URI endpoint, long registryVersion) {

    public String teamId() {
        return key.teamId();
    }

    public String machineId() {
        return key.machineId();
    }
}
