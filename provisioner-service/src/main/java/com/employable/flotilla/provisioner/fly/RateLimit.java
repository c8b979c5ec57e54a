package com.employable.flotilla.provisioner.fly;

import java.time.Duration;

/**
 * One of Fly's documented limits as a token bucket: {@code requests} per {@code per} sustained, up to {@code burst}
 * at once (Fly: 1 req/s with bursts of 3 per action and id; get machine 5 req/s, bursts of 10).
 */
public record RateLimit(int requests, Duration per, int burst) {

    public RateLimit {
        if (requests < 1 || burst < 1 || per == null || per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("a rate limit needs requests >= 1, burst >= 1 and a positive period");
        }
    }

    public static RateLimit perSecond(int requests, int burst) {
        return new RateLimit(requests, Duration.ofSeconds(1), burst);
    }

    /** How long an emptied bucket takes to fill: a bucket idle this long is full, so forgetting it loses nothing. */
    public Duration refillTime() {
        return per.multipliedBy(burst).dividedBy(requests);
    }
}
