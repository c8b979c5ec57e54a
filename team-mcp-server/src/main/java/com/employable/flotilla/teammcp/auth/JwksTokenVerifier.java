package com.employable.flotilla.teammcp.auth;

import com.employable.flotilla.teammcp.ServerConfig;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies employable's own asymmetric JWTs (Supabase signing keys) against the JWKS: signature, issuer, audience,
 * expiry, then the team claim at a configurable dotted path, which must name this server's team.
 */
final class JwksTokenVerifier {

    /** Asymmetric algorithms only: an HMAC token can never be checked against a public key set. */
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);

    private static final int JWKS_TIMEOUT_MILLIS = 3_000;
    private static final int JWKS_SIZE_LIMIT_BYTES = 256 * 1024;
    /** Keep verifying with the last good key set for this long while the JWKS endpoint is down. */
    private static final long OUTAGE_TOLERANCE_MILLIS = 60 * 60 * 1000L;

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String teamId;
    private final List<String> teamClaimPath;

    JwksTokenVerifier(ServerConfig.JwksSettings settings, String teamId) {
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(
                            settings.jwksUrl().toURL(),
                            new DefaultResourceRetriever(
                                    JWKS_TIMEOUT_MILLIS, JWKS_TIMEOUT_MILLIS, JWKS_SIZE_LIMIT_BYTES))
                    .retrying(true)
                    .outageTolerant(OUTAGE_TOLERANCE_MILLIS)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("JWKS URL is not a URL", e);
        }
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new HashSet<>(settings.audiences()),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                Set.of("sub", "exp"),
                Set.of()));
        this.teamId = teamId;
        this.teamClaimPath = List.of(settings.teamClaimPath().split("\\."));
    }

    Verification verify(SignedJWT jwt) {
        if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
            return new Verification.Rejected("algorithm not accepted");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (BadJWTException e) {
            // claim failures: expired, wrong issuer or audience, missing sub; the message names the claim only
            return new Verification.Rejected(e.getMessage());
        } catch (BadJOSEException e) {
            return new Verification.Rejected("signature invalid or signing key unknown");
        } catch (KeySourceException e) {
            return new Verification.Unavailable("signing keys could not be fetched");
        } catch (JOSEException e) {
            return new Verification.Rejected("token invalid");
        }
        if (claims.getSubject() == null || claims.getSubject().isBlank()) {
            // Nimbus counts "sub": null as present; a session needs a real owner
            return new Verification.Rejected("JWT missing required claims: [sub]");
        }
        Object team = claimAt(claims.getClaims(), teamClaimPath);
        if (matchesTeam(team)) {
            return new Verification.Accepted(
                    new Principal(Principal.Kind.USER, claims.getSubject(), claims.getIssuer()));
        }
        return new Verification.OtherTeam("token is not for this team");
    }

    /** A team claim may be one team id or, for a user in several teams, a list of them. */
    private boolean matchesTeam(Object team) {
        if (team instanceof String single) {
            return teamId.equals(single);
        }
        if (team instanceof Collection<?> many) {
            return many.contains(teamId);
        }
        return false;
    }

    private static Object claimAt(Map<String, Object> claims, List<String> path) {
        Object current = claims;
        for (String segment : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(segment);
        }
        return current;
    }
}
