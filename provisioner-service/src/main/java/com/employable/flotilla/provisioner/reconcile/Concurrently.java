package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.fly.FlyProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Runs the independent Fly calls of one pass at once (the addresses and the secrets of an app that exists, the
 * addresses and machines a pass observes): each waits only for its own rate-limit bucket, so a pass takes as long as
 * its slowest call instead of their sum. Every task has ended when a call returns, so nothing of a pass outlives it.
 */
@Component
class Concurrently {

    private final Executor executor;

    /** Virtual threads: the tasks spend their time waiting on Fly. */
    Concurrently() {
        this(Executors.newVirtualThreadPerTaskExecutor());
    }

    /** As configured: at once, or (to compare) one after the other. */
    @Autowired
    Concurrently(FlyProperties fly) {
        this(fly.concurrentCalls() ? Executors.newVirtualThreadPerTaskExecutor() : Runnable::run);
    }

    private Concurrently(Executor executor) {
        this.executor = executor;
    }

    /** One after the other on the caller's thread, in order: for tests that check the calls' order. */
    static Concurrently inOrder() {
        return new Concurrently(Runnable::run);
    }

    /**
     * Runs every task, waits for all of them, and returns their results in the tasks' order.
     *
     * @throws RuntimeException the failure of the first task (in order) that failed, once all have ended
     */
    <T> List<T> all(List<Supplier<T>> tasks) {
        List<Outcome<T>> outcomes = settle(tasks);
        var results = new ArrayList<T>(outcomes.size());
        for (Outcome<T> outcome : outcomes) {
            if (outcome.failure() != null) {
                throw outcome.failure();
            }
            results.add(outcome.value());
        }
        return results;
    }

    /** Runs every task and waits for all; each one's result or failure, in the tasks' order. */
    <T> List<Outcome<T>> settle(List<Supplier<T>> tasks) {
        if (tasks.size() == 1) {
            return List.of(Outcome.of(tasks.get(0)));
        }
        List<CompletableFuture<Outcome<T>>> running = tasks.stream()
                .map(task -> CompletableFuture.supplyAsync(() -> Outcome.of(task), executor))
                .toList();
        return running.stream().map(Concurrently::join).toList();
    }

    private static <T> Outcome<T> join(CompletableFuture<Outcome<T>> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            return new Outcome<>(
                    null,
                    e.getCause() instanceof RuntimeException runtime
                            ? runtime
                            : new IllegalStateException(e.getCause()));
        }
    }

    /** A task's result, or what it threw. */
    record Outcome<T>(T value, RuntimeException failure) {
        static <T> Outcome<T> of(Supplier<T> task) {
            try {
                return new Outcome<>(task.get(), null);
            } catch (RuntimeException e) {
                return new Outcome<>(null, e);
            }
        }
    }
}
