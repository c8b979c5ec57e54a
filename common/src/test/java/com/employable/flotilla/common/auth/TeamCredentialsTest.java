package com.employable.flotilla.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TeamCredentialsTest {

    /** 32 bytes of 0xaa, as configured (base64). */
    private static final byte[] KEY =
            TeamCredentials.platformKey("qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqo=", "key");

    @Test
    void derivesHmacSha256OfPurposeAndTeamIdAsBase64Url() {
        // known answer computed independently:
        // printf flotilla/team-token-key/v1:acme-sales | openssl dgst -sha256 -mac HMAC -macopt hexkey:aa..aa
        assertThat(TeamCredentials.teamTokenKey(KEY, "acme-sales"))
                .isEqualTo("fUnhMzXAup7qRGGZqIfoXYKPaXXVWQO967O6dqIGC90");
        assertThat(TeamCredentials.decode(TeamCredentials.probeToken(KEY, "acme-sales")))
                .hasSize(32);
    }

    @Test
    void differentTeamsAndDifferentPlatformKeysNeverShareACredential() {
        byte[] otherKey = TeamCredentials.platformKey("u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7s=", "key");

        assertThat(TeamCredentials.teamTokenKey(KEY, "acme-sales"))
                .isNotEqualTo(TeamCredentials.teamTokenKey(KEY, "acme-support"))
                .isNotEqualTo(TeamCredentials.probeToken(otherKey, "acme-sales"));
    }

    /** Audit finding 6: with one key reused, the probe token (which team servers hold) was the team token key. */
    @Test
    void oneKeyReusedForTwoPurposesStillDerivesDifferentValues() {
        assertThat(TeamCredentials.probeToken(KEY, "acme-sales"))
                .isNotEqualTo(TeamCredentials.teamTokenKey(KEY, "acme-sales"))
                .isNotEqualTo(TeamCredentials.databasePassword(KEY, "acme-sales"));
    }

    @Test
    void refusesEqualPlatformKeys() {
        byte[] same = KEY.clone();
        byte[] other = TeamCredentials.platformKey("u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7s=", "key");
        var keys = new java.util.LinkedHashMap<String, byte[]>();
        keys.put("FLOTILLA_GATEWAY_KEY", KEY);
        keys.put("FLOTILLA_PROBE_KEY", other);
        TeamCredentials.requireDistinct(keys);
        keys.put("FLOTILLA_TEAM_DB_KEY", same);

        assertThatThrownBy(() -> TeamCredentials.requireDistinct(keys))
                .hasMessage("FLOTILLA_GATEWAY_KEY and FLOTILLA_TEAM_DB_KEY must be different keys");
    }

    @Test
    void refusesWeakOrMissingPlatformKeysAndBadTeamIds() {
        assertThatThrownBy(() -> TeamCredentials.platformKey("c2hvcnQ=", "FLOTILLA_GATEWAY_KEY"))
                .hasMessage("FLOTILLA_GATEWAY_KEY must be at least 32 bytes");
        assertThatThrownBy(() -> TeamCredentials.platformKey(" ", "FLOTILLA_PROBE_KEY"))
                .hasMessage("FLOTILLA_PROBE_KEY is not configured");
        assertThatThrownBy(() -> TeamCredentials.probeToken(KEY, "Not A Team")).hasMessageContaining("teamId");
        // audit finding 10: an upper-case UUID was accepted as a team id and made an invalid Fly app name
        assertThatThrownBy(() -> TeamCredentials.probeToken(KEY, "3F2504E0-4F89-11D3-9A0C-0305E82C3301"))
                .hasMessageContaining("lower-case UUID");
        assertThat(TeamCredentials.probeToken(KEY, "3f2504e0-4f89-11d3-9a0c-0305e82c3301"))
                .isNotBlank();
    }
}
