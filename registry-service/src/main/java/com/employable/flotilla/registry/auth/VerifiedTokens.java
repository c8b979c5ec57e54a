package com.employable.flotilla.registry.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Verdicts on agent tokens already verified, so an agent's next call skips the signature check. Keyed by the token's
 * SHA-256, never the token; an entry lives no longer than the token's {@code exp} (without the clock skew the verifier
 * tolerates) nor than {@code maxAge}, and the injected clock is checked on every hit, so a cached verdict is never
 * served past either. Only the caller's identity is cached: which team it may reach is decided per request.
 */
final class VerifiedTokens {

    private final Cache<String, Verdict> verdicts;

    private final Duration maxAge;

    private final Clock clock;

    VerifiedTokens(long maximumSize, Duration maxAge, Clock clock) {
        this.maxAge = maxAge;
        this.clock = clock;
        this.verdicts = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(
                        Expiry.<String, Verdict>creating((token, verdict) -> verdict.lifetimeFrom(clock.instant())))
                .build();
    }

    /** The cached agent, or {@code verify}'s (cached until its token expires); {@code verify}'s failures propagate. */
    Agent agentFor(String token, Supplier<Verified> verify) {
        String key = sha256(token);
        Instant now = clock.instant();
        Verdict cached = verdicts.getIfPresent(key);
        if (cached != null && now.isBefore(cached.validUntil())) {
            return cached.agent();
        }
        Verified verified = verify.get();
        Instant until = min(verified.expiresAt(), now.plus(maxAge));
        if (now.isBefore(until)) {
            verdicts.put(key, new Verdict(verified.agent(), until));
        }
        return verified.agent();
    }

    /** The verification keys changed: a verdict reached under the old ones must be reached again. */
    void invalidateAll() {
        verdicts.invalidateAll();
    }

    long estimatedSize() {
        verdicts.cleanUp();
        return verdicts.estimatedSize();
    }

    /** A freshly verified token: who it is, and its {@code exp}. */
    record Verified(Agent agent, Instant expiresAt) {}

    private record Verdict(Agent agent, Instant validUntil) {

        Duration lifetimeFrom(Instant now) {
            Duration left = Duration.between(now, validUntil);
            return left.isNegative() ? Duration.ZERO : left;
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String sha256(String token) {
        MessageDigest digest = SHA_256.get();
        digest.reset();
        return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** One digest per thread: looking the algorithm up costs more than hashing a token (it ran on every request). */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JRE provides SHA-256", impossible);
        }
    });
}
