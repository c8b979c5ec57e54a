package com.employable.flotilla.e2e.fastpath;

import com.employable.flotilla.e2e.support.LocalFlyClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The warm pool as local-fly sees it, read from outside: every {@code flotilla-pool-*} app with its machines, and which
 * team (the {@code flotilla_team} metadata) each machine carries, if any.
 */
record PoolApps(Map<String, List<Machine>> apps) {

    static final String POOL_PREFIX = "flotilla-pool-";

    /** One machine of an app: its id, Fly state and the team it was handed to (null while it is the pool's). */
    record Machine(String app, String id, String state, String team) {}

    /**
     * Pool machines that are suspended (what a claim can take), counted from local-fly's machine-state timeline in one
     * call: before any claim, a suspended machine in a pool app is a ready entry.
     */
    static long readyBeforeAnyClaim(LocalFlyClient fly) throws Exception {
        long ready = 0;
        for (JsonNode machine : fly.get("/_admin/machine-states").path("machines")) {
            if (machine.path("app").asString().startsWith(POOL_PREFIX)
                    && machine.path("state").asString().equals("suspended")) {
                ready++;
            }
        }
        return ready;
    }

    /** Pool machines a claim can take now: suspended and carrying no team (one list call per pool app). */
    static long readyNow(LocalFlyClient fly) throws Exception {
        return read(fly, POOL_PREFIX).apps().values().stream()
                .flatMap(List::stream)
                .filter(machine -> machine.team() == null && machine.state().equals("suspended"))
                .count();
    }

    /** Every app of the org whose name starts with {@code prefix}, with its live machines (one list call per app). */
    static PoolApps read(LocalFlyClient fly, String prefix) throws Exception {
        var apps = new TreeMap<String, List<Machine>>();
        for (JsonNode app : fly.get("/v1/apps?org_slug=personal").path("apps")) {
            String name = app.path("name").asString();
            if (name.startsWith(prefix)) {
                var machines = new ArrayList<Machine>();
                for (JsonNode machine : fly.machines(name)) {
                    JsonNode team = machine.path("config").path("metadata").path("flotilla_team");
                    machines.add(new Machine(
                            name,
                            machine.path("id").asString(),
                            machine.path("state").asString(),
                            team.isMissingNode() || team.isNull() ? null : team.asString()));
                }
                apps.put(name, machines);
            }
        }
        return new PoolApps(apps);
    }

    /** Team id to the apps holding a machine tagged with it. */
    Map<String, List<String>> appsByTeam() {
        var byTeam = new LinkedHashMap<String, List<String>>();
        apps.forEach((app, machines) -> machines.stream()
                .map(Machine::team)
                .filter(team -> team != null)
                .distinct()
                .forEach(team ->
                        byTeam.computeIfAbsent(team, key -> new ArrayList<>()).add(app)));
        return byTeam;
    }

    /** Team id to its tagged machines, across all apps read. */
    Map<String, List<Machine>> machinesByTeam() {
        var byTeam = new LinkedHashMap<String, List<Machine>>();
        apps.values().stream()
                .flatMap(List::stream)
                .filter(machine -> machine.team() != null)
                .forEach(machine -> byTeam.computeIfAbsent(machine.team(), key -> new ArrayList<>())
                        .add(machine));
        return byTeam;
    }

    /** Apps whose machines carry no team: still the pool's (ready, or being built when they have no machine yet). */
    List<String> unclaimed() {
        return apps.entrySet().stream()
                .filter(app -> app.getValue().stream().allMatch(machine -> machine.team() == null))
                .map(Map.Entry::getKey)
                .toList();
    }
}
