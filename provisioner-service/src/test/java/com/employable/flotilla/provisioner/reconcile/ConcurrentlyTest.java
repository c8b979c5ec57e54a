package com.employable.flotilla.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Independent calls of a pass run at once, and a pass never ends while one of them still runs. */
class ConcurrentlyTest {

    private final Concurrently concurrently = new Concurrently();

    @Test
    void tasksRunAtTheSameTime() {
        var bothStarted = new CountDownLatch(2);
        Supplier<Boolean> meetTheOther = () -> {
            bothStarted.countDown();
            try {
                // one after the other, the first would wait here for a second that never starts
                return bothStarted.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };

        assertThat(concurrently.all(List.of(meetTheOther, meetTheOther))).containsExactly(true, true);
    }

    @Test
    void theFirstFailureSurfacesOnceEveryTaskHasEnded() {
        var slowOneFinished = new AtomicBoolean();
        var failed = new CountDownLatch(1);
        Supplier<String> fails = () -> {
            failed.countDown();
            throw new IllegalStateException("ips failed");
        };
        Supplier<String> slow = () -> {
            try {
                // still running when the other has failed
                failed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            slowOneFinished.set(true);
            return "secrets written";
        };

        assertThatThrownBy(() -> concurrently.all(List.of(slow, fails))).hasMessage("ips failed");
        assertThat(slowOneFinished).isTrue();
    }
}
