package com.employable.flotilla.devstack.trial;

import com.employable.flotilla.devstack.mcp.McpClient.ToolsList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * How long a sleeping team server takes to answer again, measured twice from each resting state: through the path an
 * agent takes (a request that Fly's proxy holds while it starts the machine) and through the Machines API (start,
 * then wait until started). The server answers one untimed request first (a server goes to sleep after serving, and
 * a resumed process keeps what its first requests warmed up), then is put to rest through the Machines API, and its
 * state is checked right before the timed request: something else waking it (a health probe through the proxy, the provisioner) would make
 * the number a lie, so such a measurement is retried once and otherwise left out with a note.
 */
public final class Wakes {

    static final Duration SETTLE = Duration.ofSeconds(90);

    private final MachinesApi fly;

    Wakes(MachinesApi fly) {
        this.fly = fly;
    }

    /**
     * @param from {@code stopped} or {@code suspended}
     * @param viaRequestMs the request answered (through the gateway and the proxy), null if not measured
     * @param viaApiMs start called until the wait for {@code started} returned, null if not measured
     */
    public record Wake(String from, Long viaRequestMs, Long viaApiMs, List<String> notes) {}

    /**
     * @param request the timed request that wakes the machine, e.g. an MCP tools/list through the gateway
     * @return the figures; a machine the Machines API could not bring to a state (Fly's own words) is noted, and the
     *     trial goes on with the next measurement
     */
    Wake measure(String app, String machine, String from, Supplier<ToolsList> request) throws InterruptedException {
        List<String> notes = new ArrayList<>();
        try {
            return measure(app, machine, from, request, notes);
        } catch (MachinesApi.FlyCallFailed failed) {
            notes.add("from " + from + ": " + failed.getMessage());
            return new Wake(from, null, null, List.copyOf(notes));
        }
    }

    private Wake measure(String app, String machine, String from, Supplier<ToolsList> request, List<String> notes)
            throws InterruptedException {
        Long viaRequest = null;
        for (int attempt = 1; attempt <= 2 && viaRequest == null; attempt++) {
            // as an agent left it: a server that has answered before it went to sleep, not one that never served
            awake(app, machine, fly.state(app, machine));
            request.get();
            rest(app, machine, from);
            String before = fly.state(app, machine);
            if (!before.equals(from)) {
                notes.add("woken before the timed request (state " + before + "), attempt " + attempt);
                continue;
            }
            ToolsList answer = request.get();
            if (answer.ok()) {
                viaRequest = answer.took().toMillis();
            } else {
                notes.add("request after " + from + " failed: " + answer.failure());
                break;
            }
        }
        rest(app, machine, from);
        fly.restoreWaitBudget(machine);
        int throttledBefore = fly.waitsThrottled(machine);
        long started = System.nanoTime();
        fly.start(app, machine);
        fly.await(app, machine, "started", SETTLE);
        long viaApi = Duration.ofNanos(System.nanoTime() - started).toMillis();
        int throttled = fly.waitsThrottled(machine) - throttledBefore;
        if (throttled > 0) {
            notes.add("the timed wait via the API was rate limited " + throttled + " time(s): its figure includes "
                    + "the back-off");
        }
        return new Wake(from, viaRequest, viaApi, List.copyOf(notes));
    }

    /** Starts the machine if it rests, and waits until it is started. */
    private void awake(String app, String machine, String now) throws InterruptedException {
        if (List.of("stopped", "suspended", "created").contains(now)) {
            fly.start(app, machine);
        }
        if (!now.equals("started")) {
            fly.await(app, machine, "started", SETTLE);
        }
    }

    /** Stops or suspends the machine and waits until it is there; a machine already there is left as it is. */
    private void rest(String app, String machine, String state) throws InterruptedException {
        String now = fly.state(app, machine);
        if (now.equals(state)) {
            return;
        }
        awake(app, machine, now);
        if (state.equals("suspended")) {
            fly.suspend(app, machine);
        } else {
            fly.stop(app, machine);
        }
        fly.await(app, machine, state, SETTLE);
    }
}
