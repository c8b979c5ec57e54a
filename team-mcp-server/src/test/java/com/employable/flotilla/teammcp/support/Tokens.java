package com.employable.flotilla.teammcp.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** Tokens as the registry's gateway mints them: HS256 under the team's own key. */
public final class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    public static byte[] newTeamKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    public static String base64Url(byte[] key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    public static String gatewayToken(byte[] key, String teamId) {
        return gatewayToken(
                key, teamId, "flotilla-team:" + teamId, Instant.now().plus(Duration.ofMinutes(5)));
    }

    public static String gatewayToken(byte[] key, String teamClaim, String audience, Instant expiry) {
        var claims = new JWTClaimsSet.Builder()
                .issuer("flotilla-gateway")
                .audience(audience)
                .subject("agent-007")
                .claim("team_id", teamClaim)
                .issueTime(new Date())
                .expirationTime(Date.from(expiry))
                .build();
        var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
