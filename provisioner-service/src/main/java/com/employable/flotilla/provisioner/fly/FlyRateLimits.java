package com.employable.flotilla.provisioner.fly;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.BandwidthBuilder;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Fly's rate limits on this side of the wire, as token buckets (Bucket4j) per limit class, action and the id Fly
 * keys the limit on: bursts go out at once, the sustained rate is kept, and a call over it waits for its permit.
 *
 * <p>Buckets for one app or machine live in memory: a team is reconciled by one instance only (the owner of its
 * partition), so its buckets are that instance's. A bucket unused for {@code limiterIdle} (never less than its refill
 * time: by then it is full again) is forgotten, so apps and machines that come and go leave nothing behind. Org-scoped
 * classes ({@link FlyProperties#ORG_SCOPED}: app creates and deletes) are shared by every instance through
 * {@code fleet} (PostgreSQL) when one is given.
 */
public class FlyRateLimits {

    static final int MARGIN_PERCENT = 5;

    private final FlyProperties properties;
    private final Cache<String, Bucket> local;
    private final BiFunction<String, BucketConfiguration, Bucket> fleet;

    /**
     * @param fleet the shared bucket for a key, or null to keep org-scoped limits per instance (a single instance,
     *              an operator's client)
     */
    public FlyRateLimits(
            FlyProperties properties, BiFunction<String, BucketConfiguration, Bucket> fleet, Ticker ticker) {
        this.properties = properties;
        this.fleet = fleet;
        Duration longestRefill = properties.limits().values().stream()
                .map(RateLimit::refillTime)
                .max(Comparator.naturalOrder())
                .orElse(Duration.ZERO);
        Duration idle =
                properties.limiterIdle().compareTo(longestRefill) < 0 ? longestRefill : properties.limiterIdle();
        this.local =
                Caffeine.newBuilder().expireAfterAccess(idle).ticker(ticker).build();
    }

    public FlyRateLimits(FlyProperties properties) {
        this(properties, null, Ticker.systemTicker());
    }

    /**
     * Waits for one permit, at most {@code limitWait}.
     *
     * @return false when none came in time
     */
    public boolean acquire(String limitClass, String action, String id) {
        return acquire(limitClass, action, id, properties.limitWait());
    }

    /** @param wait zero to take a permit only if one is there now */
    public boolean acquire(String limitClass, String action, String id, Duration wait) {
        Bucket bucket = bucket(limitClass, action, id);
        if (!wait.isPositive()) {
            return bucket.tryConsume(1);
        }
        try {
            return bucket.asBlocking().tryConsume(1, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Buckets held in memory now (after forgetting the idle ones). */
    public long buckets() {
        local.cleanUp();
        return local.estimatedSize();
    }

    private Bucket bucket(String limitClass, String action, String id) {
        String key = limitClass + "|" + action + "|" + id;
        Optional<BiFunction<String, BucketConfiguration, Bucket>> shared =
                FlyProperties.ORG_SCOPED.contains(limitClass) ? Optional.ofNullable(fleet) : Optional.empty();
        if (shared.isPresent()) {
            return shared.get().apply(key, configuration(limitClass));
        }
        return local.get(
                key,
                ignored -> Bucket.builder()
                        .addLimit(limit -> bandwidth(limit, limitClass))
                        .build());
    }

    private BucketConfiguration configuration(String limitClass) {
        return BucketConfiguration.builder()
                .addLimit(limit -> bandwidth(limit, limitClass))
                .build();
    }

    /**
     * Fly's bucket, refilled {@link #MARGIN_PERCENT}% slower: Fly counts arrivals, not departures, and a request sent
     * the moment a token comes due can overtake an earlier one still on its way (a new connection, a slow hop).
     */
    private BandwidthBuilder.BandwidthBuilderBuildStage bandwidth(
            BandwidthBuilder.BandwidthBuilderCapacityStage limit, String limitClass) {
        RateLimit rate = properties.limit(limitClass);
        return limit.capacity(rate.burst())
                .refillGreedy(
                        rate.requests(),
                        rate.per().multipliedBy(100 + MARGIN_PERCENT).dividedBy(100));
    }
}
