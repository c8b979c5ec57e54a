package com.employable.flotilla.e2e.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A team's derived credentials, computed from the formula in docs/security-review.md §7,
 * {@code HMAC-SHA256(platform key, "flotilla/<purpose>/v1:" + teamId)} as base64url without padding, rather than by the
 * services' own code: the tests look for these values where they must never appear.
 */
public final class DerivedCredentials {

    private DerivedCredentials() {}

    /** @param gatewayKey the platform gateway key as configured (base64) */
    public static String teamTokenKey(String gatewayKey, String teamId) {
        return derive(gatewayKey, "team-token-key", teamId);
    }

    /** @param probeKey the platform probe key as configured (base64) */
    public static String probeToken(String probeKey, String teamId) {
        return derive(probeKey, "probe-token", teamId);
    }

    private static String derive(String platformKey, String purpose, String teamId) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(Base64.getDecoder().decode(platformKey), "HmacSHA256"));
            byte[] value = hmac.doFinal(("flotilla/" + purpose + "/v1:" + teamId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", impossible);
        }
    }
}
