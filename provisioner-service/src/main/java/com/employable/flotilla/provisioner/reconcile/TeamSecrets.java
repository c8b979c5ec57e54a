package com.employable.flotilla.provisioner.reconcile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import com.employable.flotilla.common.auth.TeamCredentials;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;

/**
 * The secrets a team's app gets, all derived per team from platform keys, so nothing per team is stored and no team
 * server ever holds a key that could open another team's server. The platform keys are read once at start-up: a
 * missing or weak key stops the service rather than provisioning teams without auth.
 */
@Component
public class TeamSecrets {

    static final String TEAM_TOKEN_KEY = "FLOTILLA_TEAM_TOKEN_KEY";
    static final String PROBE_TOKEN = "FLOTILLA_PROBE_TOKEN";
    static final String DATABASE_PASSWORD = "FLOTILLA_DATABASE_PASSWORD";

    private final byte[] gatewayKey;
    private final byte[] probeKey;
    private final byte[] teamDbKey;

    TeamSecrets(ProvisionerProperties properties) {
        this.gatewayKey = TeamCredentials.platformKey(properties.gatewayKey(), "FLOTILLA_GATEWAY_KEY");
        this.probeKey = TeamCredentials.platformKey(properties.probeKey(), "FLOTILLA_PROBE_KEY");
        this.teamDbKey = TeamCredentials.platformKey(properties.teamDbKey(), "FLOTILLA_TEAM_DB_KEY");
    }

    /** Name to value, in a stable order. */
    Map<String, String> forTeam(String teamId, boolean withDatabase) {
        var secrets = new TreeMap<String, String>();
        secrets.put(TEAM_TOKEN_KEY, TeamCredentials.teamTokenKey(gatewayKey, teamId));
        secrets.put(PROBE_TOKEN, TeamCredentials.probeToken(probeKey, teamId));
        if (withDatabase) {
            secrets.put(DATABASE_PASSWORD, databasePassword(teamId));
        }
        return secrets;
    }

    String databasePassword(String teamId) {
        return TeamCredentials.databasePassword(teamDbKey, teamId);
    }

    /** Tells whether the app's secrets are current without storing or reading them back. */
    static String digest(Map<String, String> secrets) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(secrets).forEach((name, value) -> {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(value.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            });
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
