package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.common.auth.TeamCredentials;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The secrets a team's app gets, all derived per team from platform keys, so nothing per team is stored and no team
 * server ever holds a key that could open another team's server. The platform keys are read once at start-up: a
 * missing or weak key, or two equal keys, stops the service rather than provisioning teams with weak auth.
 *
 * <p>During a rotation the previous gateway and probe keys are set too: each team then also gets what was derived
 * from them ({@code *_PREVIOUS}), which its server accepts besides the current values. Once the previous key is unset,
 * the next reconcile removes those secrets from every app.
 */
@Component
public class TeamSecrets {

    static final String TEAM_TOKEN_KEY = "FLOTILLA_TEAM_TOKEN_KEY";
    static final String TEAM_TOKEN_KEY_PREVIOUS = "FLOTILLA_TEAM_TOKEN_KEY_PREVIOUS";
    static final String PROBE_TOKEN = "FLOTILLA_PROBE_TOKEN";
    static final String PROBE_TOKEN_PREVIOUS = "FLOTILLA_PROBE_TOKEN_PREVIOUS";
    static final String DATABASE_PASSWORD = "FLOTILLA_DATABASE_PASSWORD";

    private final byte[] gatewayKey;
    private final byte[] gatewayKeyPrevious;
    private final byte[] probeKey;
    private final byte[] probeKeyPrevious;
    private final byte[] teamDbKey;

    TeamSecrets(ProvisionerProperties properties) {
        this.gatewayKey = TeamCredentials.platformKey(properties.gatewayKey(), "FLOTILLA_GATEWAY_KEY");
        this.probeKey = TeamCredentials.platformKey(properties.probeKey(), "FLOTILLA_PROBE_KEY");
        this.teamDbKey = TeamCredentials.platformKey(properties.teamDbKey(), "FLOTILLA_TEAM_DB_KEY");
        this.gatewayKeyPrevious = optionalKey(properties.gatewayKeyPrevious(), "FLOTILLA_GATEWAY_KEY_PREVIOUS");
        this.probeKeyPrevious = optionalKey(properties.probeKeyPrevious(), "FLOTILLA_PROBE_KEY_PREVIOUS");
        var keys = new LinkedHashMap<String, byte[]>();
        keys.put("FLOTILLA_GATEWAY_KEY", gatewayKey);
        keys.put("FLOTILLA_PROBE_KEY", probeKey);
        keys.put("FLOTILLA_TEAM_DB_KEY", teamDbKey);
        if (gatewayKeyPrevious != null) {
            keys.put("FLOTILLA_GATEWAY_KEY_PREVIOUS", gatewayKeyPrevious);
        }
        if (probeKeyPrevious != null) {
            keys.put("FLOTILLA_PROBE_KEY_PREVIOUS", probeKeyPrevious);
        }
        // one key for two purposes would let whoever holds one derived value compute the other's key material
        TeamCredentials.requireDistinct(keys);
    }

    private static byte[] optionalKey(String configured, String name) {
        return configured == null || configured.isBlank() ? null : TeamCredentials.platformKey(configured, name);
    }

    /**
     * Name to value, in a stable order. A rotation secret that is not wanted now maps to {@code null}: Fly unsets a
     * secret written as null, so a finished rotation leaves no stale token behind.
     */
    Map<String, String> forTeam(String teamId, boolean withDatabase) {
        var secrets = new TreeMap<String, String>();
        secrets.put(TEAM_TOKEN_KEY, TeamCredentials.teamTokenKey(gatewayKey, teamId));
        secrets.put(
                TEAM_TOKEN_KEY_PREVIOUS,
                gatewayKeyPrevious == null ? null : TeamCredentials.teamTokenKey(gatewayKeyPrevious, teamId));
        secrets.put(PROBE_TOKEN, TeamCredentials.probeToken(probeKey, teamId));
        secrets.put(
                PROBE_TOKEN_PREVIOUS,
                probeKeyPrevious == null ? null : TeamCredentials.probeToken(probeKeyPrevious, teamId));
        if (withDatabase) {
            secrets.put(DATABASE_PASSWORD, databasePassword(teamId));
        }
        return secrets;
    }

    String databasePassword(String teamId) {
        return TeamCredentials.databasePassword(teamDbKey, teamId);
    }

    /** Digest of what the team's app should hold now: tells whether Fly and the machines are current. */
    String digest(String teamId, boolean withDatabase) {
        return digest(forTeam(teamId, withDatabase));
    }

    /** Tells whether the app's secrets are current without storing or reading them back. */
    static String digest(Map<String, String> secrets) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(secrets).forEach((name, value) -> {
                if (value == null) {
                    return;
                }
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
