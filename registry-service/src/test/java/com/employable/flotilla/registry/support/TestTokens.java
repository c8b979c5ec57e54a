package com.employable.flotilla.registry.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** employable-style access tokens (Supabase's shape: {@code app_metadata} carries the team and the role). */
public final class TestTokens {

    public static final String SECRET = "employable-test-jwt-secret-with-at-least-32-bytes";

    public static final String ISSUER = "https://auth.employable.test/auth/v1";

    public static final String AUDIENCE = "authenticated";

    private TestTokens() {}

    public static String forTeam(String teamId) {
        return builder().team(teamId).sign();
    }

    public static String admin() {
        return builder().role("admin").sign();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {

        private String subject = "user-" + UUID.randomUUID();

        private String issuer = ISSUER;

        private String audience = AUDIENCE;

        private Instant expiresAt = Instant.now().plus(Duration.ofMinutes(10));

        private String secret = SECRET;

        private final Map<String, Object> appMetadata = new LinkedHashMap<>();

        public Builder subject(String value) {
            subject = value;
            return this;
        }

        public Builder team(String teamId) {
            appMetadata.put("team_id", teamId);
            return this;
        }

        public Builder role(String role) {
            appMetadata.put("flotilla_role", role);
            return this;
        }

        public Builder issuer(String value) {
            issuer = value;
            return this;
        }

        public Builder audience(String value) {
            audience = value;
            return this;
        }

        public Builder expiresAt(Instant value) {
            expiresAt = value;
            return this;
        }

        public Builder secret(String value) {
            secret = value;
            return this;
        }

        public String sign() {
            var claims = new JWTClaimsSet.Builder()
                    .subject(subject)
                    .issuer(issuer)
                    .audience(audience)
                    .issueTime(Date.from(expiresAt.minus(Duration.ofMinutes(15))))
                    .expirationTime(Date.from(expiresAt))
                    .claim("role", "authenticated")
                    .claim("app_metadata", appMetadata)
                    .build();
            var jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.HS256)
                            .type(JOSEObjectType.JWT)
                            .build(),
                    claims);
            try {
                jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            } catch (JOSEException failure) {
                throw new IllegalStateException(failure);
            }
            return jwt.serialize();
        }
    }
}
