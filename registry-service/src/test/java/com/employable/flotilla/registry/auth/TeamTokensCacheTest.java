package com.employable.flotilla.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.auth.TeamCredentials;
import com.employable.flotilla.registry.support.RegistryIntegrationTest;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TeamTokensCacheTest {

    private static final Duration TTL = Duration.ofMinutes(5);

    private final TickingClock clock = new TickingClock(Instant.parse("2026-01-01T00:00:00Z"));

    private final byte[] gatewayKey = RegistryIntegrationTest.gatewayKey();

    private final TeamTokens tokens = new TeamTokens(gatewayKey, TTL, clock);

    @Test
    void aTokenIsReusedWhileMoreThanAMinuteOfItsLifeRemains() {
        String first = tokens.mint("team-a", "user-1");
        clock.advance(TTL.minus(TeamTokens.REUSE_MARGIN).minusSeconds(1));

        assertThat(tokens.mint("team-a", "user-1")).isEqualTo(first);
    }

    @Test
    void aTokenIsNeverHandedOutWithAMinuteOrLessToLive() throws Exception {
        String first = tokens.mint("team-a", "user-1");
        clock.advance(TTL.minus(TeamTokens.REUSE_MARGIN));

        String next = tokens.mint("team-a", "user-1");

        assertThat(next).isNotEqualTo(first);
        assertThat(expiry(next)).isEqualTo(clock.instant().plus(TTL));
    }

    @Test
    void anotherTeamNeverGetsATokenMintedForADifferentTeam() throws Exception {
        tokens.mint("team-a", "user-1");

        String forB = tokens.mint("team-b", "user-1");

        var jwt = SignedJWT.parse(forB);
        assertThat(jwt.getJWTClaimsSet().getStringClaim(TeamTokens.TEAM_CLAIM)).isEqualTo("team-b");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(TeamTokens.AUDIENCE_PREFIX + "team-b");
        assertThat(jwt.verify(new MACVerifier(teamKey("team-b")))).isTrue();
        assertThat(jwt.verify(new MACVerifier(teamKey("team-a")))).isFalse();
    }

    @Test
    void eachAgentOfATeamGetsItsOwnToken() throws Exception {
        tokens.mint("team-a", "user-1");

        String forOther = tokens.mint("team-a", "user-2");

        assertThat(SignedJWT.parse(forOther).getJWTClaimsSet().getSubject()).isEqualTo("user-2");
    }

    private byte[] teamKey(String teamId) {
        return TeamCredentials.decode(TeamCredentials.teamTokenKey(gatewayKey, teamId));
    }

    private static Instant expiry(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
    }
}
