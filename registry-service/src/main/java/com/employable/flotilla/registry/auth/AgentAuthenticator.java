package com.employable.flotilla.registry.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HashSet;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Verifies employable's bearer tokens: signature (HS256 with the shared secret, or the asymmetric algorithms
 * Supabase signs with, keys from the JWKS URL, cached and refreshed by nimbus), {@code exp}/{@code nbf} with the
 * configured skew, exact {@code iss}, {@code aud}, and a {@code sub}. The team and role come from configurable claim
 * paths.
 */
@Component
public class AgentAuthenticator {

    /** Longer than any real token; a bound so a huge header costs no parsing. */
    private static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);

    private final ConfigurableJWTProcessor<SecurityContext> processor;

    private final ClaimPath teamClaim;

    private final ClaimPath adminClaim;

    private final String adminValue;

    public AgentAuthenticator(AuthProperties properties) {
        this.teamClaim = ClaimPath.of(properties.teamClaim());
        this.adminClaim =
                properties.adminClaim() == null || properties.adminClaim().isBlank()
                        ? null
                        : ClaimPath.of(properties.adminClaim());
        this.adminValue = properties.adminValue();
        var jwtProcessor = new DefaultJWTProcessor<>();
        jwtProcessor.setJWSKeySelector(keySelector(properties));
        // nimbus probes these sets for null, which immutable Set.of() refuses: hence HashSets
        var claims = new DefaultJWTClaimsVerifier<>(
                new HashSet<>(Set.of(properties.audience())),
                new JWTClaimsSet.Builder().issuer(properties.issuer()).build(),
                new HashSet<>(Set.of(JWTClaimNames.SUBJECT, JWTClaimNames.EXPIRATION_TIME)),
                new HashSet<>());
        claims.setMaxClockSkew(Math.toIntExact(properties.clockSkew().toSeconds()));
        jwtProcessor.setJWTClaimsSetVerifier(claims);
        this.processor = jwtProcessor;
    }

    /**
     * @param authorization the {@code Authorization} header, possibly null
     * @throws AuthenticationFailed when there is no valid bearer token
     */
    public Agent authenticate(String authorization) {
        String token = bearerToken(authorization);
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (BadJWTException rejected) {
            throw new AuthenticationFailed(AuthenticationFailed.Reason.INVALID, describe(rejected), rejected);
        } catch (ParseException | BadJOSEException invalid) {
            throw new AuthenticationFailed(
                    AuthenticationFailed.Reason.INVALID,
                    "the token is malformed or its signature does not verify",
                    invalid);
        } catch (KeySourceException unreachable) {
            throw new AuthenticationFailed(
                    AuthenticationFailed.Reason.KEYS_UNAVAILABLE,
                    "the signing keys could not be fetched; try again shortly",
                    unreachable);
        } catch (JOSEException failed) {
            throw new AuthenticationFailed(
                    AuthenticationFailed.Reason.INVALID, "the token could not be verified", failed);
        }
        var all = claims.getClaims();
        boolean admin = adminClaim != null && adminClaim.holds(all, adminValue);
        return new Agent(claims.getSubject(), teamClaim.readString(all), admin);
    }

    private static String bearerToken(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new AuthenticationFailed(AuthenticationFailed.Reason.MISSING, "a bearer token is required");
        }
        String value = authorization.strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AuthenticationFailed(
                    AuthenticationFailed.Reason.MISSING, "the Authorization header must use the Bearer scheme");
        }
        String token = value.substring(7).strip();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new AuthenticationFailed(AuthenticationFailed.Reason.INVALID, "the bearer token is malformed");
        }
        return token;
    }

    /** nimbus's messages name the failed check without echoing claim values, so they are safe to return. */
    private static String describe(BadJWTException rejected) {
        String message = rejected.getMessage();
        return message == null ? "the token was rejected" : "the token was rejected: " + message;
    }

    private static JWSKeySelector<SecurityContext> keySelector(AuthProperties properties) {
        if (properties.symmetric()) {
            return new JWSVerificationKeySelector<>(
                    JWSAlgorithm.HS256,
                    new ImmutableSecret<>(properties.hs256Secret().getBytes(StandardCharsets.UTF_8)));
        }
        try {
            var keys = JWKSourceBuilder.create(
                            java.net.URI.create(properties.jwksUrl()).toURL())
                    .retrying(true)
                    .build();
            return new JWSVerificationKeySelector<>(ASYMMETRIC, keys);
        } catch (MalformedURLException | IllegalArgumentException notUrl) {
            throw new IllegalArgumentException("FLOTILLA_JWT_JWKS_URL is not a valid URL", notUrl);
        }
    }
}
