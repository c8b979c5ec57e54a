package com.employable.flotilla.e2e.idle;

import com.employable.flotilla.e2e.support.LocalFlyClient;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** A team machine's state timeline, read from local-fly (which records every transition it makes). */
final class MachineStates {

    private static final Set<String> STATES =
            Set.of("created", "started", "stopped", "suspended", "failed", "destroyed");

    private MachineStates() {}

    /** The timeline of the team's (single) machine, from the machine's events as local-fly lists them. */
    static StateTimeline timeline(LocalFlyClient fly, String teamId) throws IOException, InterruptedException {
        List<StateTimeline.Transition> transitions = new ArrayList<>();
        for (JsonNode machine : fly.machines("flotilla-team-" + teamId)) {
            for (JsonNode event : machine.path("events")) {
                String status = event.path("status").asString("");
                if (STATES.contains(status)) {
                    transitions.add(new StateTimeline.Transition(
                            Instant.ofEpochMilli(event.path("timestamp").asLong()), status));
                }
            }
        }
        return new StateTimeline(transitions);
    }
}
