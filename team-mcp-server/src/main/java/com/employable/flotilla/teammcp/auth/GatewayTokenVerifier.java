package com.employable.flotilla.teammcp.auth;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Verifies the short-lived token the gateway forwards: HS256 under this team's own key (derived elsewhere from a
 * gateway key this server never sees; while that key is rotated, the previous team key too), issuer
 * {@value #ISSUER}, audience {@code flotilla-team:<teamId>}, claim {@code team_id}, a subject (the agent) and an
 * expiry at most {@link #MAX_LIFETIME} away.
 */
final class GatewayTokenVerifier {

    static final String ISSUER = "flotilla-gateway";
    static final String AUDIENCE_PREFIX = "flotilla-team:";
    static final String TEAM_CLAIM = "team_id";
    static final Duration MAX_LIFETIME = Duration.ofMinutes(10);
    /** Tolerated clock difference between the gateway and this machine. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final List<MACVerifier> verifiers;
    private final String teamId;
    private final Clock clock;

    /**
     * @param teamKeys the current team key, then, during a rotation, the previous one: a token signed with either is
     *                 accepted
     */
    GatewayTokenVerifier(List<byte[]> teamKeys, String teamId, Clock clock) {
        if (teamKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one team token key is required");
        }
        this.verifiers = teamKeys.stream().map(GatewayTokenVerifier::macVerifier).toList();
        this.teamId = teamId;
        this.clock = clock;
    }

    private static MACVerifier macVerifier(byte[] key) {
        try {
            return new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("team token key is not a valid HS256 key", e);
        }
    }

    Verification verify(SignedJWT jwt) {
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            return new Verification.Rejected("gateway tokens must be HS256");
        }
        JWTClaimsSet claims;
        try {
            // every key is tried (each comparison in constant time), so the timing does not tell which one signed
            boolean signed = false;
            for (MACVerifier verifier : verifiers) {
                signed |= jwt.verify(verifier);
            }
            if (!signed) {
                return new Verification.Rejected("signature invalid");
            }
            claims = jwt.getJWTClaimsSet();
        } catch (JOSEException | ParseException | IllegalStateException e) {
            return new Verification.Rejected("token invalid");
        }

        if (!ISSUER.equals(claims.getIssuer())) {
            return new Verification.Rejected("issuer not accepted");
        }
        Instant now = clock.instant();
        Instant expiry = instant(claims.getExpirationTime());
        if (expiry == null) {
            return new Verification.Rejected("expiry (exp) required");
        }
        if (!expiry.plus(CLOCK_SKEW).isAfter(now)) {
            return new Verification.Rejected("token expired");
        }
        // Judged against now as well as iat, so that a token without iat cannot claim a long life either
        if (Duration.between(now, expiry).compareTo(MAX_LIFETIME.plus(CLOCK_SKEW)) > 0) {
            return new Verification.Rejected("token lifetime exceeds " + MAX_LIFETIME.toMinutes() + " minutes");
        }
        Instant issuedAt = instant(claims.getIssueTime());
        if (issuedAt != null) {
            if (issuedAt.isAfter(now.plus(CLOCK_SKEW))) {
                return new Verification.Rejected("token issued in the future");
            }
            if (Duration.between(issuedAt, expiry).compareTo(MAX_LIFETIME) > 0) {
                return new Verification.Rejected("token lifetime exceeds " + MAX_LIFETIME.toMinutes() + " minutes");
            }
        }
        Instant notBefore = instant(claims.getNotBeforeTime());
        if (notBefore != null && notBefore.isAfter(now.plus(CLOCK_SKEW))) {
            return new Verification.Rejected("token not yet valid");
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            return new Verification.Rejected("subject (sub) required");
        }

        List<String> audiences = claims.getAudience();
        Object teamClaim = claims.getClaim(TEAM_CLAIM);
        boolean audienceMatches = audiences.contains(AUDIENCE_PREFIX + teamId);
        boolean teamMatches = teamId.equals(teamClaim);
        if (audienceMatches && teamMatches) {
            return new Verification.Accepted(new Principal(Principal.Kind.GATEWAY, subject, ISSUER));
        }
        boolean namesAnotherTeam = teamClaim != null
                || audiences.stream().anyMatch(audience -> audience.startsWith(AUDIENCE_PREFIX));
        return namesAnotherTeam
                ? new Verification.OtherTeam("token is for another team")
                : new Verification.Rejected("audience not accepted");
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
