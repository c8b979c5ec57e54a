package com.employable.flotilla.health.targets;

import java.net.URI;

/**
 * What to probe and where: one machine's MCP endpoint as derived from the team's app and the configured address
 * templates (in {@code fly-checks} mode, the machine's resource in the Fly Machines API, whose {@code mcp} check is
 * read). Nothing an event or a response says decides where a probe (and its bearer token) goes.
 *
 * @param key team and machine
 * @param endpoint the derived MCP endpoint (the machine's own private address by default; the app's public or
 * Flycast address when so configured)
 * @param registryVersion the registry entry version the endpoint came from
 * @param throughProxy whether Fly Proxy routes the probe (public or Flycast address): it then names the machine with
 * {@code fly-force-instance-id}; a machine's own address needs no routing
 * @param app the team's (validated) Fly app, whose machines the {@code fly-checks} mode lists; may be null where no
 * probe needs it
 */
public record ProbeTarget(TargetKey key, URI endpoint, long registryVersion, boolean throughProxy, String app) {

    public ProbeTarget(TargetKey key, URI endpoint, long registryVersion, boolean throughProxy) {
        this(key, endpoint, registryVersion, throughProxy, null);
    }

    public String teamId() {
        return key.teamId();
    }

    public String machineId() {
        return key.machineId();
    }
}
