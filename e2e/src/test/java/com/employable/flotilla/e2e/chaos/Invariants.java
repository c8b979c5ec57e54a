package com.employable.flotilla.e2e.chaos;

import com.employable.flotilla.e2e.support.LocalFlyClient;
import com.employable.flotilla.e2e.support.TopicRecorder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * What must hold after a chaos run, checked from outside (local-fly's Machines API and the dead-letter topic), each
 * failure named: no team lost, no duplicate machine, no orphan app, each team in the state of its last event, and the
 * dead-letter topic holding exactly the malformed records that were injected.
 */
final class Invariants {

    /** Machines per plan and their memory, as the provisioner's default plans define them. */
    static final Map<String, int[]> PLAN_SHAPES =
            Map.of("starter", new int[] {1, 256}, "team", new int[] {1, 512}, "business", new int[] {2, 1024});

    private static final String TEAM_APP_PREFIX = "flotilla-team-";

    private final LocalFlyClient fly;

    private final Map<String, ChaosLoad.Expected> expected;

    private final Set<String> malformedKeys;

    private final TopicRecorder deadLetters;

    Invariants(
            LocalFlyClient fly,
            Map<String, ChaosLoad.Expected> expected,
            Set<String> malformedKeys,
            TopicRecorder deadLetters) {
        this.fly = fly;
        this.expected = expected;
        this.malformedKeys = malformedKeys;
        this.deadLetters = deadLetters;
    }

    List<String> violations() throws Exception {
        List<String> violations = new ArrayList<>();
        for (var entry : expected.entrySet()) {
            teamState(entry.getKey(), entry.getValue(), violations);
        }
        Set<String> alive = expected.entrySet().stream()
                .filter(e -> !e.getValue().deleted())
                .map(e -> TEAM_APP_PREFIX + e.getKey())
                .collect(Collectors.toSet());
        for (JsonNode app : fly.get("/v1/apps?org_slug=personal").path("apps")) {
            String name = app.path("name").asString();
            if (name.startsWith(TEAM_APP_PREFIX) && !alive.contains(name)) {
                violations.add("orphan app " + name);
            }
        }
        Set<String> dead = new HashSet<>();
        Map<String, String> reasons = new java.util.HashMap<>();
        deadLetters.received().forEach(received -> {
            dead.add(received.record().key());
            var reason = received.record().headers().lastHeader("flotilla_dlt_reason");
            var group = received.record().headers().lastHeader("kafka_dlt-original-consumer-group");
            reasons.put(
                    received.record().key(),
                    (group == null ? "?" : new String(group.value(), java.nio.charset.StandardCharsets.UTF_8)) + ": "
                            + (reason == null
                                    ? "no reason"
                                    : new String(reason.value(), java.nio.charset.StandardCharsets.UTF_8)));
        });
        for (String key : dead) {
            if (!malformedKeys.contains(key)) {
                violations.add("dead letter of a valid team " + key + " (" + reasons.get(key) + ")");
            }
        }
        for (String key : malformedKeys) {
            if (!dead.contains(key)) {
                violations.add("malformed record " + key + " was not dead-lettered");
            }
        }
        return violations;
    }

    private void teamState(String team, ChaosLoad.Expected last, List<String> violations) throws Exception {
        String app = TEAM_APP_PREFIX + team;
        JsonNode machines = fly.machines(app);
        if (last.deleted()) {
            if (!machines.isEmpty()) {
                violations.add(team + " was deleted but " + app + " still has " + machines.size() + " machine(s)");
            }
            return;
        }
        int[] shape = PLAN_SHAPES.get(last.plan());
        if (machines.size() != shape[0]) {
            violations.add(team + " (" + last.plan() + ") has " + machines.size() + " machine(s), expected " + shape[0]
                    + (machines.isEmpty() ? ": lost" : ""));
        }
        for (JsonNode machine : machines) {
            int memory = machine.path("config").path("guest").path("memory_mb").asInt();
            String state = machine.path("state").asString();
            if (memory != shape[1]) {
                violations.add(team + " machine " + machine.path("id").asString() + " has " + memory + " MB, its plan "
                        + last.plan() + " says " + shape[1]);
            }
            if (last.suspended() && state.equals("started")) {
                violations.add(
                        team + " is suspended but machine " + machine.path("id").asString() + " is started");
            }
        }
    }
}
