package com.employable.flotilla.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final TickingClock clock = new TickingClock(START);

    private final AtomicInteger verifications = new AtomicInteger();

    private final VerifiedTokens cache = new VerifiedTokens(100, Duration.ofMinutes(5), clock);

    @Test
    void aVerifiedTokenIsServedFromTheCacheUntilItsExpiryAndVerifiedAgainFromThen() {
        var agent = new Agent("user-1", "team-a", false);

        assertThat(cache.agentFor("token", verifier(agent, START.plusSeconds(30))))
                .isEqualTo(agent);
        clock.advance(Duration.ofSeconds(29));
        assertThat(cache.agentFor("token", verifier(agent, START.plusSeconds(30))))
                .isEqualTo(agent);
        assertThat(verifications).hasValue(1);

        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> cache.agentFor("token", () -> {
                    throw new AuthenticationFailed(AuthenticationFailed.Reason.INVALID, "expired");
                }))
                .isInstanceOf(AuthenticationFailed.class);
    }

    @Test
    void aVerdictOutlivesNeitherTheMaximumAgeNorAnAlreadyPastExpiry() {
        var agent = new Agent("user-1", "team-a", false);

        cache.agentFor("long-lived", verifier(agent, START.plus(Duration.ofHours(1))));
        clock.advance(Duration.ofMinutes(5));
        cache.agentFor("long-lived", verifier(agent, START.plus(Duration.ofHours(1))));
        assertThat(verifications).hasValue(2);

        cache.agentFor("expired", verifier(agent, clock.instant()));
        cache.agentFor("expired", verifier(agent, clock.instant()));
        assertThat(verifications).hasValue(4);
    }

    @Test
    void eachTokenHasItsOwnVerdict() {
        var teamA = new Agent("user-1", "team-a", false);
        var teamB = new Agent("user-2", "team-b", false);

        cache.agentFor("token-a", verifier(teamA, START.plusSeconds(60)));

        assertThat(cache.agentFor("token-b", verifier(teamB, START.plusSeconds(60))))
                .isEqualTo(teamB);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void theCacheHoldsNoMoreThanItsMaximumSize() {
        var agent = new Agent("user-1", "team-a", false);

        for (int i = 0; i < 1_000; i++) {
            cache.agentFor("token-" + i, verifier(agent, START.plusSeconds(60)));
        }

        assertThat(cache.estimatedSize()).isLessThanOrEqualTo(100);
    }

    @Test
    void invalidatingDropsEveryVerdict() {
        var agent = new Agent("user-1", "team-a", false);
        cache.agentFor("token", verifier(agent, START.plusSeconds(60)));

        cache.invalidateAll();
        cache.agentFor("token", verifier(agent, START.plusSeconds(60)));

        assertThat(verifications).hasValue(2);
    }

    private java.util.function.Supplier<VerifiedTokens.Verified> verifier(Agent agent, Instant expiresAt) {
        return () -> {
            verifications.incrementAndGet();
            return new VerifiedTokens.Verified(agent, expiresAt);
        };
    }
}
