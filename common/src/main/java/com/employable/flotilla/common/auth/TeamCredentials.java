package com.employable.flotilla.common.auth;

import com.employable.flotilla.common.events.Require;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-team credentials derived from platform keys, so nothing per team is stored or shipped between services: the
 * provisioner sets the derived values as the team app's secrets, and the service holding the same platform key
 * derives the same value when it needs it. A team server only ever sees its own derived values, never a platform key.
 *
 * <p>Each value is {@code HMAC-SHA256(platform key, "flotilla/<purpose>/v1:" + teamId)}, base64url without padding.
 * The purpose label separates the domains: even one key reused for two purposes (which {@link #requireDistinct}
 * refuses at start-up) could not make a team's probe token equal to its token key.
 * <ul>
 * <li>{@code team-token-key}: the gateway signs the short-lived tokens it forwards to a team's server with it
 * (provisioner and registry hold the gateway key);</li>
 * <li>{@code probe-token}: the health-service's bearer token for that team's server (provisioner and health hold the
 * probe key);</li>
 * <li>{@code database-password}: the password of the team's database role (the provisioner holds the team-db
 * key).</li>
 * </ul>
 */
public final class TeamCredentials {

    private static final String HMAC_SHA256 = "HmacSHA256";

    private static final int MIN_PLATFORM_KEY_BYTES = 32;

    private TeamCredentials() {}

    static final String TEAM_TOKEN_KEY = "team-token-key";

    static final String PROBE_TOKEN = "probe-token";

    static final String DATABASE_PASSWORD = "database-password";

    public static String teamTokenKey(byte[] gatewayKey, String teamId) {
        return derive(gatewayKey, TEAM_TOKEN_KEY, teamId);
    }

    public static String probeToken(byte[] probeKey, String teamId) {
        return derive(probeKey, PROBE_TOKEN, teamId);
    }

    /** The password of the team's database role (the provisioner holds the team-db key). */
    public static String databasePassword(byte[] teamDbKey, String teamId) {
        return derive(teamDbKey, DATABASE_PASSWORD, teamId);
    }

    /**
     * Refuses platform keys (by configuration name) of which any two are equal: one leaked service would then hold
     * another service's key too. Compared in constant time.
     */
    public static void requireDistinct(Map<String, byte[]> keysByName) {
        List<Map.Entry<String, byte[]>> keys = List.copyOf(keysByName.entrySet());
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                if (MessageDigest.isEqual(keys.get(i).getValue(), keys.get(j).getValue())) {
                    throw new IllegalArgumentException(
                            keys.get(i).getKey() + " and " + keys.get(j).getKey() + " must be different keys");
                }
            }
        }
    }

    /** The raw bytes of a derived base64url value, e.g. to use a team token key as an HS256 key. */
    public static byte[] decode(String derived) {
        return Base64.getUrlDecoder().decode(derived);
    }

    /**
     * Reads a platform key from configuration: base64 (standard or url-safe) of at least 32 bytes, so a weak key
     * fails at start-up rather than weakening every team.
     */
    public static byte[] platformKey(String configured, String name) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException(name + " is not configured");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(configured.trim().replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException(name + " must be base64");
        }
        if (key.length < MIN_PLATFORM_KEY_BYTES) {
            throw new IllegalArgumentException(name + " must be at least " + MIN_PLATFORM_KEY_BYTES + " bytes");
        }
        return key;
    }

    private static String derive(byte[] platformKey, String purpose, String teamId) {
        Require.teamId(teamId, "teamId");
        if (platformKey == null || platformKey.length < MIN_PLATFORM_KEY_BYTES) {
            throw new IllegalArgumentException("platform key must be at least " + MIN_PLATFORM_KEY_BYTES + " bytes");
        }
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(platformKey, HMAC_SHA256));
            byte[] derived = mac.doFinal(("flotilla/" + purpose + "/v1:" + teamId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(derived);
        } catch (NoSuchAlgorithmException | InvalidKeyException impossible) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", impossible);
        }
    }
}
