package com.employable.flotilla.localfly.limits;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Fly's documented Machines API limits, per action and per machine or app id: 1 request/s with bursts of 3; get
 * machine 5 requests/s with bursts of 10; app deletions 100 per minute. Token buckets; counters per action (allowed
 * and limited) are exposed for tests and benchmarks.
 */
public final class RateLimits {

    public record Limit(double perSecond, double burst) {
        public static final Limit DEFAULT = new Limit(1, 3);
        public static final Limit GET_MACHINE = new Limit(5, 10);
        public static final Limit DELETE_APP = new Limit(100.0 / 60, 100);
    }

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> allowed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> limited = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private volatile boolean enabled = true;

    public RateLimits(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** @return false when this request is over the limit (answer 429) */
    public boolean tryAcquire(String action, String id, Limit limit) {
        if (!enabled) {
            count(allowed, action);
            return true;
        }
        Bucket bucket = buckets.computeIfAbsent(action + "|" + id, key -> new Bucket(limit, nanoTime.getAsLong()));
        boolean ok = bucket.tryTake(nanoTime.getAsLong());
        count(ok ? allowed : limited, action);
        return ok;
    }

    private static void count(Map<String, AtomicLong> counters, String action) {
        counters.computeIfAbsent(action, key -> new AtomicLong()).incrementAndGet();
    }

    public void enabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** action -> {allowed, limited} */
    public Map<String, Map<String, Long>> counters() {
        var result = new TreeMap<String, Map<String, Long>>();
        allowed.forEach((action, count) ->
                result.computeIfAbsent(action, key -> new TreeMap<>()).put("allowed", count.get()));
        limited.forEach((action, count) ->
                result.computeIfAbsent(action, key -> new TreeMap<>()).put("limited", count.get()));
        return result;
    }

    public void reset() {
        buckets.clear();
        allowed.clear();
        limited.clear();
    }

    private static final class Bucket {
        private final Limit limit;
        private double tokens;
        private long last;

        Bucket(Limit limit, long now) {
            this.limit = limit;
            this.tokens = limit.burst();
            this.last = now;
        }

        synchronized boolean tryTake(long now) {
            tokens = Math.min(limit.burst(), tokens + (now - last) / 1e9 * limit.perSecond());
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
