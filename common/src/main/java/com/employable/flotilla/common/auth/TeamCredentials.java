package com.employable.flotilla.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.employable.flotilla.common.events.Require;

/**
 * Per-team credentials derived from platform keys, so nothing per team is stored or shipped between services: the
 * provisioner sets the derived values as the team app's secrets, and the service holding the same platform key
 * derives the same value when it needs it. A team server only ever sees its own derived values, never a platform key.
 *
 * <ul>
 * <li>team token key = HMAC-SHA256(gateway key, team id): the gateway signs the short-lived tokens it forwards to a
 * team's server with it (provisioner and registry hold the gateway key);</li>
 * <li>probe token = HMAC-SHA256(probe key, team id): the health-service's bearer token for that team's server
 * (provisioner and health hold the probe key).</li>
 * </ul>
 * Both are base64url without padding.
 */
public final class TeamCredentials {

    private static final String HMAC_SHA256 = "HmacSHA256";

    private static final int MIN_PLATFORM_KEY_BYTES = 32;

    private TeamCredentials() {
    }

    public static String teamTokenKey(byte[] gatewayKey, String teamId) {
        return derive(gatewayKey, teamId);
    }

    public static String probeToken(byte[] probeKey, String teamId) {
        return derive(probeKey, teamId);
    }

    /** The password of the team's database role (the provisioner holds the team-db key). */
    public static String databasePassword(byte[] teamDbKey, String teamId) {
        return derive(teamDbKey, teamId);
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
        }
        catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException(name + " must be base64");
        }
        if (key.length < MIN_PLATFORM_KEY_BYTES) {
            throw new IllegalArgumentException(name + " must be at least " + MIN_PLATFORM_KEY_BYTES + " bytes");
        }
        return key;
    }

    private static String derive(byte[] platformKey, String teamId) {
        Require.teamId(teamId, "teamId");
        if (platformKey == null || platformKey.length < MIN_PLATFORM_KEY_BYTES) {
            throw new IllegalArgumentException("platform key must be at least " + MIN_PLATFORM_KEY_BYTES + " bytes");
        }
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(platformKey, HMAC_SHA256));
            byte[] derived = mac.doFinal(teamId.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(derived);
        }
        catch (NoSuchAlgorithmException | InvalidKeyException impossible) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", impossible);
        }
    }
}
