package com.employable.flotilla.registry.auth;

import com.employable.flotilla.common.auth.TeamCredentials;
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
 * {@code sub}, valid for a few minutes.
 */
public class TeamTokens {

    public static final String ISSUER = "flotilla-gateway";

    public static final String AUDIENCE_PREFIX = "flotilla-team:";

    public static final String TEAM_CLAIM = "team_id";

    /** The team server contract accepts at most ten minutes. */
    static final Duration MAX_TTL = Duration.ofMinutes(10);

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
    }

    public String mint(String teamId, String subject) {
        Instant now = clock.instant();
        var claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE_PREFIX + teamId)
                .subject(subject)
                .claim(TEAM_CLAIM, teamId)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
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
}
