package com.employable.flotilla.registry.auth;

import com.employable.flotilla.common.auth.TeamCredentials;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Mints the token the gateway forwards to a team's server in place of the agent's own: HS256 under that team's key
 * (derived from the gateway key, so only this team's server can verify it and no other team's key can forge it),
 * issuer {@value #ISSUER}, audience {@code flotilla-team:<teamId>}, claim {@code team_id}, the agent as
 * {@code sub}, valid for a few minutes. A token is reused for the same team and agent while more than
 * {@link #REUSE_MARGIN} of its life remains, so most calls pay no signature; the cache key holds the team, so a token
 * is never handed to another team's call.
 */
public class TeamTokens {

    public static final String ISSUER = "flotilla-gateway";

    public static final String AUDIENCE_PREFIX = "flotilla-team:";

    public static final String TEAM_CLAIM = "team_id";

    /** The team server contract accepts at most ten minutes. */
    static final Duration MAX_TTL = Duration.ofMinutes(10);

    /** A reused token still outlives a slow call and the team server's clock being a little ahead. */
    static final Duration REUSE_MARGIN = Duration.ofMinutes(1);

    /** Team and agent pairs calling at once, with room to spare; beyond it the least used are minted again. */
    static final long CACHED_TOKENS = 10_000;

    private final Cache<Holder, Minted> minted;

    private final byte[] gatewayKey;

    private final Duration ttl;

    private final Clock clock;

    public TeamTokens(byte[] gatewayKey, Duration ttl, Clock clock) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("gateway token ttl must be positive and at most " + MAX_TTL);
        }
        this.gatewayKey = gatewayKey.clone();
        this.ttl = ttl;
        this.clock = clock;
        // also evicted by time so an idle pair frees its entry; whether a token may be reused is decided on the clock
        this.minted = Caffeine.newBuilder()
                .maximumSize(CACHED_TOKENS)
                .expireAfterWrite(ttl)
                .build();
    }

    /** A token for this team and agent: a cached one while it has more than {@link #REUSE_MARGIN} left, else a new one. */
    public String mint(String teamId, String subject) {
        var holder = new Holder(teamId, subject);
        Instant now = clock.instant();
        Minted cached = minted.getIfPresent(holder);
        if (cached != null && now.plus(REUSE_MARGIN).isBefore(cached.expiresAt())) {
            return cached.token();
        }
        Instant expiresAt = now.plus(ttl);
        String token = sign(teamId, subject, now, expiresAt);
        minted.put(holder, new Minted(token, expiresAt));
        return token;
    }

    private String sign(String teamId, String subject, Instant now, Instant expiresAt) {
        var claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE_PREFIX + teamId)
                .subject(subject)
                .claim(TEAM_CLAIM, teamId)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .jwtID(UUID.randomUUID().toString())
                .build();
        var jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        try {
            jwt.sign(new MACSigner(TeamCredentials.decode(TeamCredentials.teamTokenKey(gatewayKey, teamId))));
        } catch (JOSEException impossible) {
            throw new IllegalStateException("a 32-byte HMAC key always signs HS256", impossible);
        }
        return jwt.serialize();
    }

    private record Holder(String teamId, String subject) {}

    /** Never printed: the record's {@code toString} would show the token. */
    private record Minted(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Minted[token=<redacted>, expiresAt=" + expiresAt + "]";
        }
    }
}
