package com.employable.flotilla.e2e.idle;

import com.employable.flotilla.e2e.support.LocalFlyClient;
import com.employable.flotilla.e2e.support.McpAgent;
import com.employable.flotilla.e2e.support.Platform;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * A server that breaks while it serves agents: its agent calls every 2 s for a minute (so it is awake), then every MCP
 * request to its app answers 500 (a local-fly fault on the app's proxied and private routes) for two minutes, then it
 * recovers; the agent keeps calling throughout. The harness reads from the health topic when it was reported.
 */
final class BrokenServer {

    private final LocalFlyClient fly;

    private final Platform platform;

    private final TeamRun team;

    private final Duration interval;

    private volatile Instant brokeAt;

    private volatile Instant fixedAt;

    private volatile boolean done;

    BrokenServer(LocalFlyClient fly, Platform platform, TeamRun team, Duration interval) {
        this.fly = fly;
        this.platform = platform;
        this.team = team;
        this.interval = interval;
    }

    void run() {
        try {
            McpAgent agent = platform.agent(team.teamId());
            callFor(agent, Duration.ofMinutes(1));
            String app = "flotilla-team-" + team.teamId();
            fly.post("/_admin/faults", """
                    {"path":"/_proxy/(_6pn/)?%s/.*","kind":"status","status":500}""".formatted(app));
            brokeAt = Instant.now();
            callFor(agent, interval.multipliedBy(4).plusMinutes(1));
            fly.delete("/_admin/faults");
            fixedAt = Instant.now();
            callFor(agent, Duration.ofSeconds(30));
        } catch (Exception failed) {
            throw new IllegalStateException("the broken-server scenario failed", failed);
        } finally {
            done = true;
        }
    }

    private void callFor(McpAgent agent, Duration length) {
        Instant until = Instant.now().plus(length);
        while (Instant.now().isBefore(until)) {
            team.call(agent);
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
        }
    }

    Instant brokeAt() {
        return brokeAt;
    }

    Instant fixedAt() {
        return fixedAt;
    }

    boolean done() {
        return done;
    }
}
