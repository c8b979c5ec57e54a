package com.employable.flotilla.e2e.idle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One machine's states over time, from local-fly's record of every transition (its ground truth, independent of what
 * the platform observed): asks which state the machine was in at a given instant.
 */
final class StateTimeline {

    record Transition(Instant at, String state) {}

    private final TreeMap<Instant, String> states = new TreeMap<>();

    StateTimeline(List<Transition> transitions) {
        transitions.stream().sorted(Comparator.comparing(Transition::at)).forEach(t -> states.put(t.at(), t.state()));
    }

    /** The state at the instant; {@code created} before the first transition. */
    String stateAt(Instant at) {
        Map.Entry<Instant, String> entry = states.floorEntry(at);
        return entry == null ? "created" : entry.getValue();
    }

    boolean asleepAt(Instant at) {
        String state = stateAt(at);
        return state.equals("stopped") || state.equals("suspended");
    }

    List<Transition> transitions() {
        List<Transition> all = new ArrayList<>();
        states.forEach((at, state) -> all.add(new Transition(at, state)));
        return all;
    }
}
