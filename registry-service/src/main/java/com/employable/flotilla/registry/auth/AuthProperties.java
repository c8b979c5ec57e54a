package com.employable.flotilla.registry.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How employable's tokens are verified. Exactly one of {@code hs256Secret} and {@code jwksUrl} is set.
 *
 * @param hs256Secret the shared HS256 secret (Supabase's "JWT secret", used as its UTF-8 bytes, at least 32)
 * @param jwksUrl where employable's public signing keys are (Supabase: {@code <project>/auth/v1/.well-known/jwks.json})
 * @param issuer the required {@code iss}
 * @param audience the required {@code aud} (Supabase: {@code authenticated})
 * @param teamClaim dotted path of the claim holding the caller's team id
 * @param adminClaim dotted path of the claim holding the caller's role(s), a string or an array
 * @param adminValue the role that lets operators read every team's entry
 * @param clockSkew tolerated clock difference for {@code exp} and {@code nbf}
 * @param authorizationServers authorization servers named in the gateway's RFC 9728 metadata; defaults to the issuer
 */
@ConfigurationProperties("flotilla.registry.auth")
public record AuthProperties(
        String hs256Secret,
        String jwksUrl,
        String issuer,
        String audience,
        @DefaultValue("app_metadata.team_id") String teamClaim,
        @DefaultValue("app_metadata.flotilla_role") String adminClaim,
        @DefaultValue("admin") String adminValue,
        @DefaultValue("60s") Duration clockSkew,
        @DefaultValue List<String> authorizationServers) {

    static final int MIN_SECRET_BYTES = 32;

    public AuthProperties {
        hs256Secret = blankToNull(hs256Secret);
        jwksUrl = blankToNull(jwksUrl);
        issuer = blankToNull(issuer);
        audience = blankToNull(audience);
        authorizationServers =
                authorizationServers.stream().filter(s -> !s.isBlank()).toList();
        if ((hs256Secret == null) == (jwksUrl == null)) {
            throw new IllegalArgumentException(
                    "set exactly one of FLOTILLA_JWT_HS256_SECRET and FLOTILLA_JWT_JWKS_URL to verify employable's tokens");
        }
        if (jwksUrl != null && !isHttpUrl(jwksUrl)) {
            throw new IllegalArgumentException("FLOTILLA_JWT_JWKS_URL must be an http(s) URL");
        }
        if (hs256Secret != null && hs256Secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "FLOTILLA_JWT_HS256_SECRET must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (issuer == null || audience == null) {
            throw new IllegalArgumentException(
                    "FLOTILLA_JWT_ISSUER and FLOTILLA_JWT_AUDIENCE are required: a token for another issuer or audience must not open a team's server");
        }
        if (teamClaim == null || teamClaim.isBlank()) {
            throw new IllegalArgumentException("FLOTILLA_JWT_TEAM_CLAIM must name the claim holding the team id");
        }
    }

    public boolean symmetric() {
        return hs256Secret != null;
    }

    public List<String> authorizationServersOrIssuer() {
        return authorizationServers.isEmpty() ? List.of(issuer) : authorizationServers;
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "AuthProperties[" + (symmetric() ? "hs256Secret=<redacted>" : "jwksUrl=" + jwksUrl) + ", issuer="
                + issuer + ", audience=" + audience + ", teamClaim=" + teamClaim + ", adminClaim=" + adminClaim + "]";
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException notUri) {
            return false;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
