package com.employable.flotilla.e2e.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Agent tokens as employable's Supabase issues them in HS256 mode (RFC 7519, signed with the JWT secret's UTF-8
 * bytes), written here from the RFC rather than with the platform's JWT library.
 */
public final class AgentTokens {

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private AgentTokens() {}

    /** A token for an agent of the team, valid for an hour. */
    public static String hs256(String secret, String teamId) {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"" + Platform.JWT_ISSUER + "\",\"aud\":\"" + Platform.JWT_AUDIENCE
                + "\",\"sub\":\"e2e-agent\",\"iat\":" + now + ",\"exp\":" + (now + 3600)
                + ",\"app_metadata\":{\"team_id\":\"" + teamId + "\"}}";
        String signingInput = encode(header) + "." + encode(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signingInput + "."
                    + URL.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String encode(String json) {
        return URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
