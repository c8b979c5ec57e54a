package com.employable.flotilla.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.registry.support.TestTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentAuthenticatorCacheTest {

    private final AgentAuthenticator authenticator = new AgentAuthenticator(
            new AuthProperties(
                    TestTokens.SECRET,
                    null,
                    TestTokens.ISSUER,
                    TestTokens.AUDIENCE,
                    "app_metadata.team_id",
                    "app_metadata.flotilla_role",
                    "admin",
                    Duration.ZERO,
                    List.of()),
            Clock.systemUTC());

    @Test
    void aCachedAgentStillOnlyOpensItsOwnTeam() {
        String token = TestTokens.forTeam("team-a");

        Agent first = authenticator.authenticate("Bearer " + token);
        Agent again = authenticator.authenticate("Bearer " + token);

        assertThat(again).isEqualTo(first);
        assertThat(again.isMemberOf("team-a")).isTrue();
        assertThat(again.isMemberOf("team-b")).isFalse();
        assertThat(authenticator.cachedVerdicts()).isEqualTo(1);
    }

    @Test
    void aTokenWithAnotherSignatureIsVerifiedOnItsOwnAndRefused() {
        String token = TestTokens.forTeam("team-a");
        authenticator.authenticate("Bearer " + token);
        String forged = TestTokens.builder()
                .team("team-a")
                .secret("another-secret-that-is-at-least-32-bytes-long")
                .sign();

        assertThatThrownBy(() -> authenticator.authenticate("Bearer " + forged))
                .isInstanceOf(AuthenticationFailed.class);
    }

    @Test
    void aCachedTokenIsRefusedOnceItExpires() {
        Instant expiresAt = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        String token = TestTokens.builder().team("team-a").expiresAt(expiresAt).sign();
        authenticator.authenticate("Bearer " + token);

        // a cache that outlived the token would keep answering with the agent: the refusal must come, soon after exp
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThatThrownBy(() -> authenticator.authenticate("Bearer " + token))
                        .isInstanceOf(AuthenticationFailed.class));
        assertThat(Instant.now()).isAfterOrEqualTo(expiresAt.minusSeconds(1));
    }
}
