package com.employable.flotilla.registry.gateway;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The gateway's own threads: daemons, so none of them keeps the JVM alive. */
final class GatewayThreads {

    private GatewayThreads() {}

    /**
     * Threads that relay upstream bytes; each is busy only while a chunk is written to a client (a client that stops
     * reading blocks a write for at most Tomcat's connection timeout). A fixed number, so no load can make the
     * gateway start threads without bound; work beyond them waits in the queue.
     */
    static ExecutorService relayPool(int threads) {
        var pool = new ThreadPoolExecutor(
                threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads("mcp-gateway-"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** One thread that only fires deadlines (slow request bodies). */
    static ScheduledExecutorService deadlines() {
        return Executors.newSingleThreadScheduledExecutor(daemonThreads("mcp-gateway-deadline-"));
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
