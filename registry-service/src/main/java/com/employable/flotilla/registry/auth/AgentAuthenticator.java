package com.employable.flotilla.registry.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.events.Event;
import com.nimbusds.jose.util.events.EventListener;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Verifies employable's bearer tokens: signature (HS256 with the shared secret, or the asymmetric algorithms
 * Supabase signs with, keys from the JWKS URL, cached and refreshed by nimbus), {@code exp}/{@code nbf} with the
 * configured skew, exact {@code iss}, {@code aud}, and a {@code sub}. The team and role come from configurable claim
 * paths. A verified token's verdict is cached until its {@code exp} (see {@link VerifiedTokens}), and dropped
 * when the signing keys change.
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

    /** Agents with live tokens at once, with room to spare; beyond it the least used are verified again. */
    static final long CACHED_TOKENS = 10_000;

    /**
     * Also bounds how long a removed JWKS key keeps opening doors through the cache: nimbus refetches the key set no
     * later than this, and a changed set drops every cached verdict.
     */
    static final Duration CACHE_MAX_AGE = Duration.ofMillis(JWKSourceBuilder.DEFAULT_CACHE_TIME_TO_LIVE);

    private final ConfigurableJWTProcessor<SecurityContext> processor;

    private final VerifiedTokens verified;

    private String lastKeySet;

    private final ClaimPath teamClaim;

    private final ClaimPath adminClaim;

    private final String adminValue;

    public AgentAuthenticator(AuthProperties properties, Clock clock) {
        this.verified = new VerifiedTokens(CACHED_TOKENS, CACHE_MAX_AGE, clock);
        this.teamClaim = ClaimPath.of(properties.teamClaim());
        this.adminClaim =
                properties.adminClaim() == null || properties.adminClaim().isBlank()
                        ? null
                        : ClaimPath.of(properties.adminClaim());
        this.adminValue = properties.adminValue();
        var jwtProcessor = new DefaultJWTProcessor<>();
        jwtProcessor.setJWSKeySelector(keySelector(properties, this::keysRefreshed));
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
        return verified.agentFor(token, () -> verify(token));
    }

    private VerifiedTokens.Verified verify(String token) {
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
        var agent = new Agent(claims.getSubject(), teamClaim.readString(all), admin);
        return new VerifiedTokens.Verified(agent, claims.getExpirationTime().toInstant());
    }

    /** A refetched key set that differs from the last one: keys rotated, so no earlier verdict stands. */
    private synchronized void keysRefreshed(Event<CachingJWKSetSource<SecurityContext>, SecurityContext> event) {
        if (event instanceof CachingJWKSetSource.RefreshCompletedEvent<SecurityContext> refreshed) {
            String keys = refreshed.getJWKSet().toPublicJWKSet().toString();
            String previous = lastKeySet;
            lastKeySet = keys;
            if (previous != null && !previous.equals(keys)) {
                verified.invalidateAll();
            }
        }
    }

    /** For tests: how many verdicts are held. */
    long cachedVerdicts() {
        return verified.estimatedSize();
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

    private static JWSKeySelector<SecurityContext> keySelector(
            AuthProperties properties,
            EventListener<CachingJWKSetSource<SecurityContext>, SecurityContext> keysRefreshed) {
        if (properties.symmetric()) {
            return new JWSVerificationKeySelector<>(
                    JWSAlgorithm.HS256,
                    new ImmutableSecret<>(properties.hs256Secret().getBytes(StandardCharsets.UTF_8)));
        }
        try {
            var keys = JWKSourceBuilder.create(
                            java.net.URI.create(properties.jwksUrl()).toURL())
                    .retrying(true)
                    .cache(
                            JWKSourceBuilder.DEFAULT_CACHE_TIME_TO_LIVE,
                            JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT,
                            keysRefreshed)
                    .refreshAheadCache(JWKSourceBuilder.DEFAULT_REFRESH_AHEAD_TIME, false, keysRefreshed)
                    .build();
            return new JWSVerificationKeySelector<>(ASYMMETRIC, keys);
        } catch (MalformedURLException | IllegalArgumentException notUrl) {
            throw new IllegalArgumentException("FLOTILLA_JWT_JWKS_URL is not a valid URL", notUrl);
        }
    }
}
