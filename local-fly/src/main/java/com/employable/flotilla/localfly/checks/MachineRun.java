package com.employable.flotilla.localfly.checks;

import com.employable.flotilla.localfly.machines.MachineBoot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The checks of one run of a machine (one boot): each check's last result and when it is due next. */
final class MachineRun {

    static final String WAITING = "waiting for the first run after the start";

    static final String SIMULATED = "not run: the simulated runtime has no process to check";

    private final MachineBoot boot;

    private final Map<String, State> states = new LinkedHashMap<>();

    MachineRun(MachineBoot boot, List<CheckDefinition> checks) {
        this.boot = boot;
        boolean simulated = boot.port() == 0;
        for (CheckDefinition check : checks) {
            states.put(
                    check.name(),
                    new State(
                            check,
                            simulated ? SIMULATED : WAITING,
                            boot.at(),
                            simulated ? null : boot.at().plus(check.gracePeriod())));
        }
    }

    MachineBoot boot() {
        return boot;
    }

    /** The checks due at {@code now}, marked running and planned an interval later; none of a simulated machine. */
    synchronized List<CheckDefinition> due(Instant now) {
        List<CheckDefinition> due = new ArrayList<>();
        for (State state : states.values()) {
            if (!state.running && state.nextDue != null && !now.isBefore(state.nextDue)) {
                state.running = true;
                state.nextDue = now.plus(state.check.interval());
                due.add(state.check);
            }
        }
        return due;
    }

    /** A run ended; {@code result} is null when it no longer counts (the machine left this run meanwhile). */
    synchronized void finished(CheckDefinition check, CheckRun.Result result, Instant now) {
        State state = states.get(check.name());
        state.running = false;
        if (result == null) {
            state.nextDue = null;
            return;
        }
        if (!result.status().equals(state.status)) {
            state.status = result.status();
            state.updatedAt = now;
        }
        state.output = result.output();
    }

    synchronized List<CheckStatus> statuses() {
        return states.values().stream()
                .map(state -> new CheckStatus(state.check.name(), state.status, state.output, state.updatedAt))
                .toList();
    }

    private static final class State {
        private final CheckDefinition check;
        private String status = CheckStatus.WARNING;
        private String output;
        private Instant updatedAt;
        private Instant nextDue;
        private boolean running;

        State(CheckDefinition check, String output, Instant updatedAt, Instant nextDue) {
            this.check = check;
            this.output = output;
            this.updatedAt = updatedAt;
            this.nextDue = nextDue;
        }
    }
}
