package com.employable.flotilla.e2e.idle;

import com.employable.flotilla.e2e.support.McpAgent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/** One team of a harness run: its plan and every request its agents made, with outcome and latency. */
final class TeamRun {

    /** One agent request: when it started, how long it took, whether it succeeded, whether it opened a burst. */
    record Call(Instant at, Duration took, boolean ok, boolean first) {}

    static final Duration SPACING = Duration.ofSeconds(2);

    private final String teamId;

    private final String plan;

    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

    TeamRun(String teamId, String plan) {
        this.teamId = teamId;
        this.plan = plan;
    }

    String teamId() {
        return teamId;
    }

    String plan() {
        return plan;
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** A burst: a new session, then tool calls {@link #SPACING} apart, none started after {@code end}. */
    void burst(McpAgent agent, int count, Instant end) {
        for (int i = 0; i < count && Instant.now().isBefore(end); i++) {
            Instant at = Instant.now();
            boolean ok;
            try {
                ok = i == 0
                        ? agent.initialize().ok()
                        : agent.callTool("team_info", "{}").ok();
            } catch (Exception failed) {
                ok = false;
            }
            calls.add(new Call(at, Duration.between(at, Instant.now()), ok, i == 0));
            LockSupport.parkNanos(SPACING.toNanos());
        }
    }

    /** One request in an existing session (opening one when there is none), recorded like a burst's. */
    void call(McpAgent agent) {
        Instant at = Instant.now();
        boolean ok;
        try {
            ok = (agent.hasSession() || agent.initialize().ok())
                    && agent.toolsList().ok();
        } catch (Exception failed) {
            ok = false;
        }
        calls.add(new Call(at, Duration.between(at, Instant.now()), ok, false));
    }
}
