package com.employable.flotilla.health.targets;

import java.net.URI;

/**
 * What to probe and where: the MCP endpoint exactly as the registry published it for the team. Nothing else ever
 * decides where a probe (and its bearer token) goes.
 *
 * @param key team and machine
 * @param endpoint the registry-published MCP endpoint ({@code endpoint.url}, or {@code endpoint.privateUrl} when
 * configured to prefer it)
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
