package com.employable.flotilla.health.targets;

import java.net.URI;

/**
 * What to probe and where: one machine's MCP endpoint as derived from the team's app and the configured address
 * templates. Nothing an event or a response says decides where a probe (and its bearer token) goes.
 *
 * @param key team and machine
 * @param endpoint the derived MCP endpoint (the machine's own private address by default; the app's public or
 * Flycast address when so configured)
 * @param registryVersion the registry entry version the endpoint came from
 * @param throughProxy whether Fly Proxy routes the probe (public or Flycast address): it then names the machine with
 * {@code fly-force-instance-id}; a machine's own address needs no routing
 */
public record ProbeTarget(TargetKey key, URI endpoint, long registryVersion, boolean throughProxy) {

    public String teamId() {
        return key.teamId();
    }

    public String machineId() {
        return key.machineId();
    }
}
