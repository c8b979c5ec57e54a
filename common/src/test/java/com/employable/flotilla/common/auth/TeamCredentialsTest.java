package com.employable.flotilla.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TeamCredentialsTest {

    /** 32 bytes of 0xaa, as configured (base64). */
    private static final byte[] KEY = TeamCredentials.platformKey("qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqo=", "key");

    @Test
    void derivesHmacSha256OfTheTeamIdAsBase64Url() {
        // known answer computed independently: printf acme-sales | openssl dgst -sha256 -mac HMAC -macopt hexkey:aa..aa
        assertThat(TeamCredentials.teamTokenKey(KEY, "acme-sales")).isEqualTo("x60IVvx0t0HzYWJhOkTy49BCcqj3kdVq4AGBgRHt-rw");
        assertThat(TeamCredentials.decode(TeamCredentials.probeToken(KEY, "acme-sales"))).hasSize(32);
    }

    @Test
    void differentTeamsAndDifferentPlatformKeysNeverShareACredential() {
        byte[] otherKey = TeamCredentials.platformKey("u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7s=", "key");

        assertThat(TeamCredentials.teamTokenKey(KEY, "acme-sales"))
            .isNotEqualTo(TeamCredentials.teamTokenKey(KEY, "acme-support"))
            .isNotEqualTo(TeamCredentials.probeToken(otherKey, "acme-sales"));
    }

    @Test
    void refusesWeakOrMissingPlatformKeysAndBadTeamIds() {
        assertThatThrownBy(() -> TeamCredentials.platformKey("c2hvcnQ=", "FLOTILLA_GATEWAY_KEY"))
            .hasMessage("FLOTILLA_GATEWAY_KEY must be at least 32 bytes");
        assertThatThrownBy(() -> TeamCredentials.platformKey(" ", "FLOTILLA_PROBE_KEY"))
            .hasMessage("FLOTILLA_PROBE_KEY is not configured");
        assertThatThrownBy(() -> TeamCredentials.probeToken(KEY, "Not A Team")).hasMessageContaining("teamId");
    }
}
