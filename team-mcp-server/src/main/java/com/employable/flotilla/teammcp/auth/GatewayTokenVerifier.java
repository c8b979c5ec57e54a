package com.employable.flotilla.teammcp.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Verifies the short-lived token the gateway forwards: HS256 under this team's own key (derived elsewhere from a
 * gateway key this server never sees; while that key is rotated, the previous team key too), issuer
 * {@value #ISSUER}, audience {@code flotilla-team:<teamId>}, claim {@code team_id}, a subject (the agent) and an
 * expiry at most {@link #MAX_LIFETIME} away. Signature and claims go through Nimbus' processor, as employable's tokens
 * do; only the audience is judged here, because a token for another team is a 403, not a 401.
 */
final class GatewayTokenVerifier {

    static final String ISSUER = "flotilla-gateway";
    static final String AUDIENCE_PREFIX = "flotilla-team:";
    static final String TEAM_CLAIM = "team_id";
    static final Duration MAX_LIFETIME = Duration.ofMinutes(10);
    /** Tolerated clock difference between the gateway and this machine. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String teamId;

    /**
     * @param teamKeys the current team key, then, during a rotation, the previous one: a token signed with either is
     *                 accepted
     */
    GatewayTokenVerifier(List<byte[]> teamKeys, String teamId, Clock clock) {
        if (teamKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one team token key is required");
        }
        var keys = new JWKSet(teamKeys.stream()
                .map(key -> new OctetSequenceKey.Builder(key).build())
                .map(com.nimbusds.jose.jwk.JWK.class::cast)
                .toList());
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableJWKSet<>(keys)));
        processor.setJWTClaimsSetVerifier(new LifetimeBoundClaims(clock));
        this.teamId = teamId;
    }

    Verification verify(SignedJWT jwt) {
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            return new Verification.Rejected("gateway tokens must be HS256");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (BadJWTException e) {
            // claim failures: expired, wrong issuer, missing sub, too long a life; the message names the claim only
            return new Verification.Rejected(e.getMessage());
        } catch (BadJOSEException e) {
            return new Verification.Rejected("signature invalid");
        } catch (JOSEException | IllegalStateException e) {
            return new Verification.Rejected("token invalid");
        }
        List<String> audiences = claims.getAudience();
        Object teamClaim = claims.getClaim(TEAM_CLAIM);
        if (audiences.contains(AUDIENCE_PREFIX + teamId) && teamId.equals(teamClaim)) {
            return new Verification.Accepted(new Principal(Principal.Kind.GATEWAY, claims.getSubject(), ISSUER));
        }
        boolean namesAnotherTeam =
                teamClaim != null || audiences.stream().anyMatch(audience -> audience.startsWith(AUDIENCE_PREFIX));
        return namesAnotherTeam
                ? new Verification.OtherTeam("token is for another team")
                : new Verification.Rejected("audience not accepted");
    }

    /**
     * Nimbus' checks (exact issuer, required {@code sub} and {@code exp}, expiry and not-before with the clock skew),
     * on this server's clock, plus the gateway's own bound: no token lives longer than {@link #MAX_LIFETIME}, judged
     * against now as well as {@code iat}, so that a token without {@code iat} cannot claim a long life either.
     */
    private static final class LifetimeBoundClaims extends DefaultJWTClaimsVerifier<SecurityContext> {

        private final Clock clock;

        LifetimeBoundClaims(Clock clock) {
            super(null, new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of("sub", "exp"), Set.of());
            setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
            this.clock = clock;
        }

        @Override
        protected Date currentTime() {
            return Date.from(clock.instant());
        }

        @Override
        public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
            super.verify(claims, context);
            // Nimbus counts a claim present when its name is, so "sub": null and "exp": null pass its check
            if (claims.getSubject() == null || claims.getSubject().isBlank()) {
                throw new BadJWTException("JWT missing required claims: [sub]");
            }
            if (claims.getExpirationTime() == null) {
                throw new BadJWTException("JWT missing required claims: [exp]");
            }
            var now = clock.instant();
            var expiry = claims.getExpirationTime().toInstant();
            if (Duration.between(now, expiry).compareTo(MAX_LIFETIME.plus(CLOCK_SKEW)) > 0) {
                throw new BadJWTException("token lifetime exceeds " + MAX_LIFETIME.toMinutes() + " minutes");
            }
            Date issued = claims.getIssueTime();
            if (issued != null && issued.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
                throw new BadJWTException("token issued in the future");
            }
            if (issued != null && Duration.between(issued.toInstant(), expiry).compareTo(MAX_LIFETIME) > 0) {
                throw new BadJWTException("token lifetime exceeds " + MAX_LIFETIME.toMinutes() + " minutes");
            }
        }
    }
}
