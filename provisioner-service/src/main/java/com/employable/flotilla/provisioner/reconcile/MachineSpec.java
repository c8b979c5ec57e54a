package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.provisioner.fly.FlyModel.Check;
import com.employable.flotilla.provisioner.fly.FlyModel.CheckHeader;
import com.employable.flotilla.provisioner.fly.FlyModel.Guest;
import com.employable.flotilla.provisioner.fly.FlyModel.MachineConfig;
import com.employable.flotilla.provisioner.fly.FlyModel.Port;
import com.employable.flotilla.provisioner.fly.FlyModel.Restart;
import com.employable.flotilla.provisioner.fly.FlyModel.Service;
import com.employable.flotilla.provisioner.team.Plan;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.TeamSpec;
import com.employable.flotilla.provisioner.teamdb.TeamDatabaseRoles;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The machine config a team should run: image, size from the plan, the team server's environment (secrets come from
 * the app's secrets, never from here), the MCP service with autostop/autostart, its checks, and the metadata that
 * finds the machine again. The spec digest in the metadata tells whether a running machine needs an update.
 *
 * <p>Two checks, both run by flyd next to the machine while it runs (never through Fly Proxy, so they neither keep the
 * server awake nor wake it): {@code healthz} (the process serves) and {@code mcp}, the team server's MCP-level
 * self-check at {@code /healthz/mcp}, whose result the health-service reads back through the Machines API. A check's
 * headers are readable by anyone who can read the machine, so the {@code mcp} check carries the team server's check
 * token (derived from its probe token, opening {@code /healthz/mcp} only), never the probe token itself.
 */
@Component
public class MachineSpec {

    public static final String TEAM = "flotilla_team";
    public static final String REVISION = "flotilla_revision";
    public static final String CREATE_KEY = "flotilla_create_key";
    public static final String SPEC = "flotilla_spec";
    /** Digest of the app secrets the machine was configured after: a new digest updates (restarts) the machine. */
    public static final String SECRETS = "flotilla_secrets";
    /** A warm-pool machine's entry id (and no team): what a claim adopts instead of creating a machine. */
    public static final String POOL = "flotilla_pool";
    /** The plan a warm-pool machine was shaped after: only a team of that machine shape is claimed by exec. */
    public static final String POOL_PLAN = "flotilla_pool_plan";

    /** The name of the MCP-level check, which the health-service's {@code fly-checks} mode reads. */
    public static final String MCP_CHECK = "mcp";

    static final String MCP_CHECK_PATH = "/healthz/mcp";

    /** What the team server's check token is derived for (team-mcp-server's {@code CheckTokens}). */
    static final String CHECK_TOKEN_PURPOSE = "flotilla/check-token/v1";

    static final int INTERNAL_PORT = 8080;

    private final ProvisionerProperties properties;
    private final TeamDatabaseRoles teamDatabase;
    private final TeamAddresses addresses;
    private final TeamSecrets secrets;
    private final McpCheckProperties mcpCheck;

    @Autowired
    MachineSpec(
            ProvisionerProperties properties,
            TeamDatabaseRoles teamDatabase,
            TeamAddresses addresses,
            TeamSecrets secrets,
            McpCheckProperties mcpCheck) {
        this.properties = properties;
        this.teamDatabase = teamDatabase;
        this.addresses = addresses;
        this.secrets = secrets;
        this.mcpCheck = mcpCheck;
    }

    MachineSpec(
            ProvisionerProperties properties,
            TeamDatabaseRoles teamDatabase,
            TeamAddresses addresses,
            TeamSecrets secrets) {
        this(properties, teamDatabase, addresses, secrets, McpCheckProperties.defaults());
    }

    public String endpointUrl(String teamId) {
        return addresses.endpointUrl(teamId);
    }

    public String privateEndpointUrl(String teamId) {
        return addresses.privateEndpointUrl(teamId);
    }

    MachineConfig config(TeamSpec team, String createKey) {
        Plan plan = properties.plans().get(team.plan());
        var env = new TreeMap<String, String>(properties.teamServer().extraEnv());
        env.put("FLOTILLA_TEAM_ID", team.teamId());
        env.put("PORT", Integer.toString(INTERNAL_PORT));
        env.put("FLOTILLA_RESOURCE_URL", addresses.endpointUrlOfApp(team.appName()));
        var server = properties.teamServer();
        if (server.jwksUrl() != null && !server.jwksUrl().isBlank()) {
            env.put("FLOTILLA_JWT_JWKS_URL", server.jwksUrl());
            putIfSet(env, "FLOTILLA_JWT_ISSUER", server.jwtIssuer());
            putIfSet(env, "FLOTILLA_JWT_AUDIENCE", server.jwtAudience());
            putIfSet(env, "FLOTILLA_JWT_TEAM_CLAIM", server.jwtTeamClaim());
        }
        if (teamDatabase.enabled()) {
            env.put("FLOTILLA_DATABASE_URL", server.databaseUrl());
            env.put("FLOTILLA_DATABASE_USER", TeamDatabaseRoles.roleName(team.teamId()));
        }
        var service = service(plan);
        String probeToken = secrets.forTeam(team.teamId(), false).get(TeamSecrets.PROBE_TOKEN);
        var unversioned = new MachineConfig(
                properties.image(),
                guest(plan),
                env,
                List.of(service),
                checks(mcpCheck, checkToken(probeToken)),
                Map.of(),
                new Restart("on-failure", 5),
                false);
        var metadata = new TreeMap<String, String>();
        metadata.put(TEAM, team.teamId());
        metadata.put(REVISION, Long.toString(team.revision()));
        metadata.put(CREATE_KEY, createKey);
        // Fly hands a machine the app's secrets when it (re)starts: a machine configured before the secrets changed
        // (a rotation, a new derivation) is updated, which restarts it with the current ones
        metadata.put(
                SECRETS, secrets.digest(team.teamId(), teamDatabase.enabled()).substring(0, 16));
        metadata.put(SPEC, digest(unversioned) + "-" + metadata.get(SECRETS));
        return new MachineConfig(
                unversioned.image(),
                unversioned.guest(),
                unversioned.env(),
                unversioned.services(),
                unversioned.checks(),
                metadata,
                unversioned.restart(),
                unversioned.autoDestroy());
    }

    /** The MCP service of a plan's machine: Fly Proxy's ports, and the plan's idle policy. */
    public static Service service(Plan plan) {
        return new Service(
                "tcp",
                INTERNAL_PORT,
                List.of(new Port(80, List.of("http")), new Port(443, List.of("tls", "http"))),
                plan.autostop(),
                plan.autostart(),
                plan.minMachinesRunning());
    }

    /** The machine size of a plan. */
    public static Guest guest(Plan plan) {
        return new Guest(plan.cpuKind(), plan.cpus(), plan.memoryMb());
    }

    /** The team's identity file as its full config would give it (see the other overload). */
    String identityFile(TeamSpec team) {
        return identityFile(team, config(team, ""));
    }

    /**
     * What makes a team server the team's, as its identity file holds it (team-mcp-server's "Identity from the warm
     * pool"): the identity entries of the team's environment and the team's secrets. Holds secrets: never logged.
     */
    String identityFile(TeamSpec team, MachineConfig desired) {
        var entries = new TreeMap<String, String>();
        for (String name : IDENTITY_ENV) {
            String value = desired.env().get(name);
            if (value != null) {
                entries.put(name, value);
            }
        }
        secrets.forTeam(team.teamId(), teamDatabase.enabled()).forEach((name, value) -> {
            if (value != null) {
                entries.put(name, value);
            }
        });
        var file = new StringBuilder();
        entries.forEach(
                (name, value) -> file.append(name).append('=').append(value).append('\n'));
        return file.toString();
    }

    /** The team's identity in its environment; everything else in a team's env is the same for every team. */
    private static final List<String> IDENTITY_ENV =
            List.of("FLOTILLA_TEAM_ID", "FLOTILLA_RESOURCE_URL", "FLOTILLA_DATABASE_URL", "FLOTILLA_DATABASE_USER");

    /**
     * A team server's two checks, both run by flyd next to the machine: {@code healthz}, and the MCP-level
     * {@value #MCP_CHECK} carrying {@code checkToken} (a team's derived one, or a pool machine's own).
     */
    public static Map<String, Check> checks(McpCheckProperties timing, String checkToken) {
        return new TreeMap<>(Map.of(
                "healthz",
                new Check("http", INTERNAL_PORT, "/healthz", "GET", "15s", "5s", "10s", null),
                MCP_CHECK,
                mcpCheck(timing, checkToken)));
    }

    /** The MCP-level self-check on {@code /healthz/mcp}, carrying {@code checkToken}. */
    private static Check mcpCheck(McpCheckProperties timing, String checkToken) {
        return new Check(
                "http",
                INTERNAL_PORT,
                MCP_CHECK_PATH,
                "GET",
                McpCheckProperties.fly(timing.interval()),
                McpCheckProperties.fly(timing.timeout()),
                McpCheckProperties.fly(timing.gracePeriod()),
                List.of(new CheckHeader("Authorization", List.of("Bearer " + checkToken))));
    }

    /** {@code base64url(HMAC-SHA256(key = probe token, "flotilla/check-token/v1"))}, as the team server derives it. */
    static String checkToken(String probeToken) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(probeToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(mac.doFinal(CHECK_TOKEN_PURPOSE.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    static boolean sameSpec(MachineConfig desired, Map<String, String> actualMetadata) {
        return desired.metadata().get(SPEC).equals(actualMetadata.get(SPEC));
    }

    private static void putIfSet(Map<String, String> env, String name, String value) {
        if (value != null && !value.isBlank()) {
            env.put(name, value);
        }
    }

    private static String digest(MachineConfig config) {
        try {
            byte[] json = com.employable.flotilla.provisioner.fly.FlyJson.write(config);
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(json))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
