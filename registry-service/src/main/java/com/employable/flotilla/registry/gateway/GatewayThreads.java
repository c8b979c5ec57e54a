package com.employable.flotilla.registry.gateway;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The gateway's own threads: daemons, so none of them keeps the JVM alive. */
final class GatewayThreads {

    private GatewayThreads() {}

    /**
     * A virtual thread per proxied exchange: it makes the blocking upstream call and copies the answer to the client
     * as it arrives. A stream that idles parks its virtual thread and holds no platform thread; how many run at once is
     * bounded per team by {@link TeamLimits}.
     */
    static ExecutorService calls() {
        return Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("mcp-gateway-call-", 0).factory());
    }

    /**
     * One thread that only fires deadlines (slow request bodies, answers that do not start in time) and back-offs; what
     * each then does runs elsewhere. A deadline cancelled (nearly every one: the answer came) leaves the queue at once.
     */
    static ScheduledExecutorService deadlines() {
        var scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "mcp-gateway-deadline");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }
}
