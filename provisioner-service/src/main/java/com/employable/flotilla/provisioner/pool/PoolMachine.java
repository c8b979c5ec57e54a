package com.employable.flotilla.provisioner.pool;

import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.provisioner.fly.FlyModel.MachineConfig;
import com.employable.flotilla.provisioner.fly.FlyModel.Restart;
import com.employable.flotilla.provisioner.reconcile.MachineSpec;
import com.employable.flotilla.provisioner.reconcile.McpCheckProperties;
import com.employable.flotilla.provisioner.reconcile.WarmClaimProperties;
import com.employable.flotilla.provisioner.team.Plan;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * What a pool entry's machine is before any team claims it: the team server image with a placeholder identity (the
 * entry's own id, never a team's) and throw-away credentials of its own, so the server boots and can be checked; in
 * that pool mode it authenticates nobody. It has the pool plan's machine shape and MCP service, so that a claim by
 * exec (the team's identity written into {@code FLOTILLA_IDENTITY_FILE}) leaves it serving the team as it is; its app
 * has only its private Flycast address until a team claims it (the team's reconcile adds the public ones), so nothing
 * outside its own network reaches it. No team's secrets, no database. A claim by update replaces all of it with the
 * team's full config.
 */
@Component
class PoolMachine {

    /**
     * The check a new entry must pass before it is ready: its team server answers {@code /healthz} on its own port,
     * asked from inside the machine through Fly's exec (the pool app's network is its own, so nothing outside reaches
     * it, and an exec is no traffic through Fly Proxy). The image is Ubuntu with bash, whose {@code /dev/tcp} needs no
     * curl.
     */
    static final List<String> CHECK = List.of(
            "bash",
            "-c",
            "exec 3<>/dev/tcp/127.0.0.1/${PORT:-8080} && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\n"
                    + "Connection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200'");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ProvisionerProperties properties;
    private final TeamAddresses addresses;
    private final WarmClaimProperties claim;
    private final McpCheckProperties mcpCheck;

    PoolMachine(
            ProvisionerProperties properties,
            TeamAddresses addresses,
            WarmClaimProperties claim,
            PoolProperties pool,
            McpCheckProperties mcpCheck) {
        this.properties = properties;
        this.addresses = addresses;
        this.claim = claim;
        this.mcpCheck = mcpCheck;
        if (pool.enabled()) {
            // pool machines are shaped after that plan: a pool without it could build nothing
            claim.requirePlanIn(properties);
        }
    }

    String image() {
        return properties.image();
    }

    MachineConfig config(String entryId, String app) {
        var env = new TreeMap<String, String>(properties.teamServer().extraEnv());
        // a placeholder identity, valid for the server's checks, that no team has: "pool-" is no team id employable
        // hands out (its ids are UUIDs), and the claim's update replaces it
        env.put("FLOTILLA_TEAM_ID", "pool-" + entryId);
        env.put("PORT", "8080");
        env.put("FLOTILLA_RESOURCE_URL", addresses.endpointUrlOfApp(app));
        env.put("FLOTILLA_IDENTITY_FILE", claim.identityFile());
        // the team whose probe token would derive the mcp check's token is not known yet: the check carries a token
        // of the machine's own, which the server accepts as given; a claim by exec leaves config, check and token as
        // they are, and the team's server then answers the check, so the health-service's fly-checks mode sees it
        String checkToken = random(32);
        env.put("FLOTILLA_CHECK_TOKEN", checkToken);
        var server = properties.teamServer();
        if (server.jwksUrl() != null && !server.jwksUrl().isBlank()) {
            env.put("FLOTILLA_JWT_JWKS_URL", server.jwksUrl());
            putIfSet(env, "FLOTILLA_JWT_ISSUER", server.jwtIssuer());
            putIfSet(env, "FLOTILLA_JWT_AUDIENCE", server.jwtAudience());
            putIfSet(env, "FLOTILLA_JWT_TEAM_CLAIM", server.jwtTeamClaim());
        }
        Plan plan = properties.plans().get(claim.plan());
        return new MachineConfig(
                properties.image(),
                MachineSpec.guest(plan),
                env,
                List.of(MachineSpec.service(plan)),
                MachineSpec.checks(mcpCheck, checkToken),
                Map.of(MachineSpec.POOL, entryId, MachineSpec.POOL_PLAN, claim.plan()),
                new Restart("on-failure", 3),
                false);
    }

    /**
     * Credentials of the entry's own, random, known to nobody: the server insists on a token key and a probe token,
     * and a claim overwrites both with the team's (same names) before the machine is started as the team's.
     */
    static Map<String, String> placeholderSecrets() {
        var secrets = new TreeMap<String, String>();
        secrets.put("FLOTILLA_TEAM_TOKEN_KEY", random(32));
        secrets.put("FLOTILLA_PROBE_TOKEN", random(32));
        return secrets;
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    private static void putIfSet(Map<String, String> env, String name, String value) {
        if (value != null && !value.isBlank()) {
            env.put(name, value);
        }
    }
}
