package com.employable.flotilla.provisioner.fly;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bucket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Fly's documented limits as token buckets: bursts, per id, org-scoped ones shared, idle ones forgotten. */
class FlyRateLimitsTest {

    private static final FlyProperties FLY = new FlyProperties(
            URI.create("http://fly.invalid"),
            "token",
            "org",
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            1,
            Duration.ofMillis(1),
            Duration.ofSeconds(13));

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;

    @Test
    void anActionOnOneIdBurstsToThreeThenWaitsForItsRate() {
        var limits = new FlyRateLimits(FLY, null, ticker);

        List<Boolean> now = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            now.add(limits.acquire(FlyProperties.DEFAULT, "machines.start", "m1", Duration.ZERO));
        }

        assertThat(now).containsExactly(true, true, true, false);
        assertThat(limits.acquire(FlyProperties.DEFAULT, "machines.start", "m2", Duration.ZERO))
                .as("another machine has its own bucket")
                .isTrue();
        assertThat(limits.acquire(FlyProperties.DEFAULT, "machines.stop", "m1", Duration.ZERO))
                .as("another action on the same machine has its own bucket")
                .isTrue();
    }

    @Test
    void getMachineBurstsToTen() {
        var limits = new FlyRateLimits(FLY, null, ticker);
        int granted = 0;
        while (limits.acquire(FlyProperties.GET_MACHINE, "machines.get", "m1", Duration.ZERO)) {
            granted++;
        }
        assertThat(granted).isEqualTo(10);
    }

    @Test
    void bucketsOfIdsNotUsedForAWhileAreForgotten() {
        var limits = new FlyRateLimits(FLY, null, ticker);
        for (int machine = 0; machine < 50; machine++) {
            limits.acquire(FlyProperties.DEFAULT, "machines.start", "m" + machine, Duration.ZERO);
        }
        assertThat(limits.buckets()).isEqualTo(50);

        nanos.addAndGet(FLY.limiterIdle().plusSeconds(1).toNanos());
        limits.acquire(FlyProperties.DEFAULT, "machines.start", "m-new", Duration.ZERO);

        assertThat(limits.buckets()).isEqualTo(1);
    }

    @Test
    void appCreatesAndDeletesAreCountedPerOrgInTheFleetsSharedBucket() {
        List<String> shared = new ArrayList<>();
        var fleetBucket = Bucket.builder()
                .addLimit(limit -> limit.capacity(3).refillGreedy(1, Duration.ofSeconds(1)))
                .build();
        var limits = new FlyRateLimits(
                FLY,
                (key, configuration) -> {
                    shared.add(key);
                    return fleetBucket;
                },
                ticker);

        limits.acquire(FlyProperties.CREATE_APP, "apps.create", "org", Duration.ZERO);
        limits.acquire(FlyProperties.DELETE_APP, "apps.delete", "org", Duration.ZERO);
        limits.acquire(FlyProperties.DEFAULT, "machines.start", "m1", Duration.ZERO);

        assertThat(shared).containsExactly("create-app|apps.create|org", "delete-app|apps.delete|org");
        assertThat(limits.buckets())
                .as("only the machine's bucket is kept in memory")
                .isEqualTo(1);
    }
}
