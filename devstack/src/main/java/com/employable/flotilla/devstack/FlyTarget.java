package com.employable.flotilla.devstack;

import java.util.Map;
import java.util.Optional;

/**
 * Which Fly Machines API the stack's provisioner drives. By default local-fly on this machine; Fly.io itself when
 * {@code FLY_API_TOKEN} and {@code FLOTILLA_FLY_ORG} are both set. Against Fly.io the services still run here, outside
 * Fly's private network, so each team's endpoint (for the gateway and the probes alike) is its app's public URL, the
 * team server image must be one Fly can pull ({@code FLOTILLA_TEAM_SERVER_IMAGE}), and the team servers get a database
 * only when {@code FLOTILLA_TEAM_DATABASE_URL} names one they can reach.
 *
 * @param name {@code local-fly} or {@code fly}: how measurements are labelled
 * @param machineUrlTemplate one machine over the private network: local-fly's {@code /_6pn} stand-in; on Fly.io the
 * real {@code .internal} name, which this host outside Fly's network cannot reach (so {@code healthProbeAddress})
 * @param healthProbeAddress how health probes: {@code machine} on local-fly (its stand-in for the private network);
 * against Fly.io {@code fly-checks}, production's mode: health reads each machine's {@code mcp} check through the
 * Machines API, needs no route into a team's network, and wakes no server
 * @param healthToken the Fly token health reads machine checks with ({@code fly-checks} only): {@code
 * FLOTILLA_HEALTH_FLY_API_TOKEN} when set (a read-only org token is enough), else the provisioner's
 * @param teamDatabaseUrl the team servers' database, or null for none
 */
record FlyTarget(
        String name,
        String apiUrl,
        String token,
        String org,
        String endpointUrlTemplate,
        String privateEndpointUrlTemplate,
        String machineUrlTemplate,
        String healthProbeAddress,
        String healthToken,
        String image,
        String teamDatabaseUrl) {

    static final String LOCAL = "local-fly";
    static final String FLY = "fly";
    static final String FLY_API_URL = "https://api.machines.dev";
    static final String FLY_ENDPOINT_TEMPLATE = "https://{app}.fly.dev/mcp";
    static final String LOCAL_PROXY = "http://127.0.0.1:4281";

    static FlyTarget of(Map<String, String> env, String localFlyUrl, String localFlyToken, String stackDatabaseUrl) {
        String token = blankToNull(env.get("FLY_API_TOKEN"));
        String org = blankToNull(env.get("FLOTILLA_FLY_ORG"));
        String image = blankToNull(env.get("FLOTILLA_TEAM_SERVER_IMAGE"));
        if (token != null && org != null) {
            return new FlyTarget(
                    FLY,
                    FLY_API_URL,
                    token,
                    org,
                    FLY_ENDPOINT_TEMPLATE,
                    FLY_ENDPOINT_TEMPLATE,
                    "http://{machine}.vm.{app}.internal:8080/mcp",
                    "fly-checks",
                    Optional.ofNullable(blankToNull(env.get("FLOTILLA_HEALTH_FLY_API_TOKEN")))
                            .orElse(token),
                    image != null ? image : StackConfig.TEAM_SERVER_IMAGE,
                    blankToNull(env.get("FLOTILLA_TEAM_DATABASE_URL")));
        }
        String localEndpoint = LOCAL_PROXY + "/{app}/mcp";
        return new FlyTarget(
                LOCAL,
                localFlyUrl,
                localFlyToken,
                "personal",
                localEndpoint,
                localEndpoint,
                LOCAL_PROXY + "/_6pn/{app}/{machine}/mcp",
                "machine",
                null,
                StackConfig.TEAM_SERVER_IMAGE,
                stackDatabaseUrl);
    }

    boolean local() {
        return LOCAL.equals(name);
    }

    /** The app's public endpoint for a team app name, as the provisioner derives it. */
    String endpointOf(String app) {
        return endpointUrlTemplate.replace("{app}", app);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        return "FlyTarget[" + name + ", " + apiUrl + ", org " + org + "]";
    }
}
