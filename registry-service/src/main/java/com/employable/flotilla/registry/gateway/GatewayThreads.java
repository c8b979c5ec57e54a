package com.employable.flotilla.registry.gateway;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The gateway's own threads: daemons, so none of them keeps the JVM alive. */
final class GatewayThreads {

    /** Platform threads for exchanges; beyond them, each exchange gets a virtual thread. */
    static final int PLATFORM_CALL_THREADS = 256;

    private GatewayThreads() {}

    /**
     * A thread per proxied exchange: it makes the blocking upstream call and copies the answer to the client as it
     * arrives. Platform threads while there are at most {@link #PLATFORM_CALL_THREADS} exchanges at once (a blocking
     * read on one costs a single wake-up when the answer comes; on a virtual thread it also goes through the poller and
     * the carrier pool, which at one request at a time cost more CPU than the rest of the gateway); any exchange beyond
     * them, such as the many idle SSE streams of many teams, runs on a virtual thread, so no load makes the gateway
     * start platform threads without bound. How many exchanges run at once is bounded per team by {@link TeamLimits}.
     */
    static ExecutorService calls() {
        ExecutorService overflow = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("mcp-gateway-call-v", 0).factory());
        var pool = new ThreadPoolExecutor(
                0,
                PLATFORM_CALL_THREADS,
                60,
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                daemonThreads("mcp-gateway-call-"),
                (task, full) -> overflow.execute(task));
        return pool;
    }

    /**
     * One thread that only fires deadlines (slow request bodies, answers that do not start in time) and back-offs; what
     * each then does runs elsewhere. A deadline cancelled (nearly every one: the answer came) leaves the queue at once.
     */
    static ScheduledExecutorService deadlines() {
        var scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("mcp-gateway-deadline-"));
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        var counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
