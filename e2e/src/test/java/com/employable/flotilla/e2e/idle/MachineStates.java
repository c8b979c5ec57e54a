package com.employable.flotilla.e2e.idle;

import com.employable.flotilla.e2e.support.LocalFlyClient;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A team machine's state timeline from local-fly's ground truth ({@code GET /_admin/machine-states}: every state change
 * of every machine with its time, kept whole), independent of what the platform itself observed.
 */
final class MachineStates {

    private MachineStates() {}

    /** The timeline of the team's (single) machine. */
    static StateTimeline timeline(LocalFlyClient fly, String teamId) throws IOException, InterruptedException {
        List<StateTimeline.Transition> transitions = new ArrayList<>();
        JsonNode answer = fly.get("/_admin/machine-states?app=flotilla-team-" + teamId);
        for (JsonNode machine : answer.path("machines")) {
            for (JsonNode change : machine.path("transitions")) {
                transitions.add(new StateTimeline.Transition(
                        Instant.ofEpochMilli(change.path("at_ms").asLong()),
                        change.path("state").asString()));
            }
        }
        return new StateTimeline(transitions);
    }
}
