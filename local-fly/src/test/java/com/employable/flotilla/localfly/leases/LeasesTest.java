package com.employable.flotilla.localfly.leases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.localfly.error.FlyError;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LeasesTest {

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock();
    private final Leases leases = new Leases(clock);

    private static int status(Runnable call) {
        try {
            call.run();
            return 0;
        } catch (FlyError e) {
            return e.httpStatus();
        }
    }

    @Test
    void theHoldersNonceRefreshesTheLeaseAndAnyOtherConflicts() {
        Lease lease = leases.acquire("m1", null, 30, "deploy");
        clock.now = clock.now.plusSeconds(10);

        Lease refreshed = leases.acquire("m1", lease.nonce(), 30, null);

        assertThat(refreshed.nonce()).isEqualTo(lease.nonce());
        assertThat(refreshed.expiresAt()).isEqualTo(lease.expiresAt() + 10);
        assertThat(refreshed.description()).isEqualTo("deploy");
        assertThat(refreshed.version()).isNotEqualTo(lease.version());
        assertThat(status(() -> leases.acquire("m1", "other", 30, null))).isEqualTo(409);
        assertThat(status(() -> leases.check("m1", null))).isEqualTo(409);
        assertThat(status(() -> leases.check("m1", lease.nonce()))).isZero();
        assertThat(status(() -> leases.check("m2", null))).isZero();
    }

    @Test
    void aLeaseExpiresByItsTtl() {
        leases.acquire("m1", null, 30, null);
        clock.now = clock.now.plusSeconds(30);

        assertThat(leases.find("m1")).isEmpty();
        assertThat(status(() -> leases.check("m1", null))).isZero();
        assertThat(leases.acquire("m1", null, 5, null).nonce()).hasSize(12);
    }

    @Test
    void releaseNeedsTheNonceAndTtlIsBoundedToADay() {
        Lease lease = leases.acquire("m1", null, 30, null);

        assertThat(status(() -> leases.release("m1", "other"))).isEqualTo(409);
        leases.release("m1", lease.nonce());
        assertThat(status(() -> leases.release("m1", lease.nonce()))).isEqualTo(404);
        assertThat(status(() -> leases.acquire("m1", null, 0, null))).isEqualTo(400);
        assertThatThrownBy(() -> leases.acquire("m1", null, 86_401, null)).isInstanceOf(FlyError.class);
    }
}
