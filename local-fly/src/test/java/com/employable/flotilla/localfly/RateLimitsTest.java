package com.employable.flotilla.localfly;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.localfly.limits.RateLimits;
import com.employable.flotilla.localfly.limits.RateLimits.Limit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Fly's documented rates, exactly, on a clock the test moves. */
class RateLimitsTest {

    private final AtomicLong now = new AtomicLong();
    private final RateLimits limits = new RateLimits(now::get);

    private int allowed(String action, String id, Limit limit, int attempts) {
        int ok = 0;
        for (int i = 0; i < attempts; i++) {
            if (limits.tryAcquire(action, id, limit)) {
                ok++;
            }
        }
        return ok;
    }

    @Test
    void anActionAllowsBurstsOfThreeThenOnePerSecondPerId() {
        assertThat(allowed("machine_start", "m1", Limit.DEFAULT, 5)).isEqualTo(3);
        assertThat(allowed("machine_start", "m2", Limit.DEFAULT, 5)).isEqualTo(3);
        now.addAndGet(999_000_000L);
        assertThat(allowed("machine_start", "m1", Limit.DEFAULT, 2)).isZero();
        now.addAndGet(1_000_000L);
        assertThat(allowed("machine_start", "m1", Limit.DEFAULT, 2)).isEqualTo(1);
        assertThat(limits.counters().get("machine_start"))
                .containsEntry("allowed", 7L)
                .containsEntry("limited", 7L);
    }

    @Test
    void getMachineAllowsBurstsOfTenThenFivePerSecond() {
        assertThat(allowed("machine_get", "m1", Limit.GET_MACHINE, 12)).isEqualTo(10);
        now.addAndGet(1_000_000_000L);
        assertThat(allowed("machine_get", "m1", Limit.GET_MACHINE, 12)).isEqualTo(5);
    }

    @Test
    void appDeletionsAreAHundredPerMinute() {
        assertThat(allowed("app_delete", "org", Limit.DELETE_APP, 120)).isEqualTo(100);
        now.addAndGet(30_000_000_000L);
        assertThat(allowed("app_delete", "org", Limit.DELETE_APP, 120)).isEqualTo(50);
    }
}
