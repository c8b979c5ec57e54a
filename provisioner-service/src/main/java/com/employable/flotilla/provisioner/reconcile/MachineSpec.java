package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.provisioner.fly.FlyModel.Check;
import com.employable.flotilla.provisioner.fly.FlyModel.Guest;
import com.employable.flotilla.provisioner.fly.FlyModel.MachineConfig;
import com.employable.flotilla.provisioner.fly.FlyModel.Port;
import com.employable.flotilla.provisioner.fly.FlyModel.Restart;
import com.employable.flotilla.provisioner.fly.FlyModel.Service;
import com.employable.flotilla.provisioner.team.Plan;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.TeamSpec;
import com.employable.flotilla.provisioner.teamdb.TeamDatabaseRoles;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The machine config a team should run: image, size from the plan, the team server's environment (secrets come from
 * the app's secrets, never from here), the MCP service with autostop/autostart, a health check, and the metadata that
 * finds the machine again. The spec digest in the metadata tells whether a running machine needs an update.
 */
@Component
public class MachineSpec {

    public static final String TEAM = "flotilla_team";
    public static final String REVISION = "flotilla_revision";
    public static final String CREATE_KEY = "flotilla_create_key";
    public static final String SPEC = "flotilla_spec";
    /** Digest of the app secrets the machine was configured after: a new digest updates (restarts) the machine. */
    public static final String SECRETS = "flotilla_secrets";

    static final int INTERNAL_PORT = 8080;

    private final ProvisionerProperties properties;
    private final TeamDatabaseRoles teamDatabase;
    private final TeamAddresses addresses;
    private final TeamSecrets secrets;

    MachineSpec(
            ProvisionerProperties properties,
            TeamDatabaseRoles teamDatabase,
            TeamAddresses addresses,
            TeamSecrets secrets) {
        this.properties = properties;
        this.teamDatabase = teamDatabase;
        this.addresses = addresses;
        this.secrets = secrets;
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
        env.put("FLOTILLA_RESOURCE_URL", endpointUrl(team.teamId()));
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
        var service = new Service(
                "tcp",
                INTERNAL_PORT,
                List.of(new Port(80, List.of("http")), new Port(443, List.of("tls", "http"))),
                plan.autostop(),
                plan.autostart(),
                plan.minMachinesRunning());
        var check = new Check("http", INTERNAL_PORT, "/healthz", "GET", "15s", "5s", "10s");
        var unversioned = new MachineConfig(
                properties.image(),
                new Guest(plan.cpuKind(), plan.cpus(), plan.memoryMb()),
                env,
                List.of(service),
                Map.of("healthz", check),
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
