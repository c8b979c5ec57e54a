package com.employable.flotilla.localfly.machines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.employable.flotilla.localfly.apps.Apps;
import com.employable.flotilla.localfly.capacity.Capacity;
import com.employable.flotilla.localfly.capacity.Regions;
import com.employable.flotilla.localfly.leases.Leases;
import com.employable.flotilla.localfly.secrets.SecretSet;
import com.employable.flotilla.localfly.secrets.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Each resource has its own lock: one that is held for long holds up no other. */
class ResourceLocksTest {

    /** Stalls whoever reads it while armed: the secrets write reads the time while holding its lock. */
    private static final class StallingClock extends Clock {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean armed;

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
            if (armed) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Instant.now();
        }
    }

    @Test
    void aSlowSecretsWriteHoldsUpNoMachineReadBootOrLease() throws Exception {
        Clock clock = Clock.systemUTC();
        StallingClock secretsClock = new StallingClock();
        Apps apps = new Apps(clock, "personal");
        Secrets secrets = new Secrets(apps, secretsClock);
        Leases leases = new Leases(clock);
        Machines machines = new Machines(clock, apps, leases, secrets, new Capacity(Map.of()), Regions.fly());
        RecordingRuntime runtime = new RecordingRuntime();
        machines.runtime(runtime);
        apps.create("app", null, null);
        secrets.set("app", Map.of("GREETING", "old"));
        ObjectNode config = (ObjectNode) JsonMapper.builder().build().readTree("{\"image\":\"x\"}");
        String id = machines.create("app", null, "iad", config, true, null).id();

        secretsClock.armed = true;
        CompletableFuture<SecretSet> slowWrite =
                CompletableFuture.supplyAsync(() -> secrets.set("app", Map.of("GREETING", "new")));
        assertThat(secretsClock.entered.await(5, TimeUnit.SECONDS)).isTrue();

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThat(machines.view("app", id, false).state()).isEqualTo("created");
            assertThat(machines.list("app", false, machine -> true)).hasSize(1);
            machines.actions().start("app", id, null);
            leases.acquire(id, null, 30, null);
            apps.create("other", null, null);
        });
        assertThat(runtime.lastBoot().env()).containsEntry("GREETING", "old");
        assertThat(slowWrite).isNotDone();

        secretsClock.armed = false;
        secretsClock.release.countDown();
        assertThat(slowWrite.get(5, TimeUnit.SECONDS).version()).isEqualTo(2);
    }
}
