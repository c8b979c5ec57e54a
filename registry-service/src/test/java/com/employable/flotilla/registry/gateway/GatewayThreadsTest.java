package com.employable.flotilla.registry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Exchanges run on platform threads up to a bound, and on virtual threads beyond it: never queued, never refused. */
class GatewayThreadsTest {

    @Test
    void exchangesBeyondThePlatformThreadsRunOnVirtualThreadsAtOnce() throws Exception {
        var calls = GatewayThreads.calls();
        var release = new CountDownLatch(1);
        var started = new CountDownLatch(GatewayThreads.PLATFORM_CALL_THREADS);
        try {
            for (int i = 0; i < GatewayThreads.PLATFORM_CALL_THREADS; i++) {
                calls.execute(() -> {
                    started.countDown();
                    await(release);
                });
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            var first = new CompletableFuture<Boolean>();
            calls.execute(() -> first.complete(Thread.currentThread().isVirtual()));
            assertThat(first.get(10, TimeUnit.SECONDS))
                    .as("the exchange past the bound runs at once, on a virtual thread")
                    .isTrue();
        } finally {
            release.countDown();
            calls.shutdown();
        }
        var next = new CompletableFuture<Boolean>();
        var fresh = GatewayThreads.calls();
        fresh.execute(() -> next.complete(Thread.currentThread().isVirtual()));
        assertThat(next.get(10, TimeUnit.SECONDS))
                .as("below the bound: a platform thread")
                .isFalse();
        fresh.shutdown();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
