package com.employable.flotilla.devstack.trial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The trial's figures as {@code docs/measurements/<date>-<target>.json} and a Markdown summary beside it, both saying
 * in their first lines which Fly they were measured against.
 */
public final class TrialReport {

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** The measures in the order the summary lists them: name, what it is, how to read it from a team. */
    record Measure(String name, String meaning, Function<Trial.TeamResult, Long> value) {}

    static final List<Measure> MEASURES = List.of(
            new Measure(
                    "createToFirstToolsListMs",
                    "create: team.created published until the first MCP tools/list through the gateway answered",
                    Trial.TeamResult::createToFirstToolsListMs),
            new Measure(
                    "createColdToFirstToolsListMs",
                    "the same for the teams whose app was created for them (cold)",
                    t -> t.fromPool() ? null : t.createToFirstToolsListMs()),
            new Measure(
                    "createFromPoolToFirstToolsListMs",
                    "the same for the teams that claimed a warm-pool app (--pool)",
                    t -> t.fromPool() ? t.createToFirstToolsListMs() : null),
            new Measure(
                    "createToProvisionedMs",
                    "team.created published until the provisioner reported the team's app converged (status ready)",
                    Trial.TeamResult::createToProvisionedMs),
            new Measure(
                    "createToRoutableMs",
                    "team.created published until the registry routed to the team (ready or idle)",
                    Trial.TeamResult::createToRoutableMs),
            new Measure(
                    "firstToolsListMs",
                    "the first MCP exchange that succeeded (initialize, initialized, tools/list) through the gateway",
                    Trial.TeamResult::firstToolsListMs),
            new Measure("warmToolsListMs", "the same exchange to a running server", Trial.TeamResult::warmToolsListMs),
            new Measure(
                    "startFromStoppedViaRequestMs",
                    "machine stopped through the Machines API, then the exchange through the gateway (Fly's proxy starts it)",
                    t -> t.fromStopped() == null ? null : t.fromStopped().viaRequestMs()),
            new Measure(
                    "startFromStoppedViaApiMs",
                    "machine stopped, then POST start until wait?state=started returned",
                    t -> t.fromStopped() == null ? null : t.fromStopped().viaApiMs()),
            new Measure(
                    "resumeFromSuspendedViaRequestMs",
                    "machine suspended through the Machines API, then the exchange through the gateway",
                    t -> t.fromSuspended() == null ? null : t.fromSuspended().viaRequestMs()),
            new Measure(
                    "resumeFromSuspendedViaApiMs",
                    "machine suspended, then POST start until wait?state=started returned",
                    t -> t.fromSuspended() == null ? null : t.fromSuspended().viaApiMs()));

    private TrialReport() {}

    public static String label(String target, String region) {
        return target.equals("fly")
                ? "Fly.io (api.machines.dev), region " + region + ": real Fly Machines. The platform's services ran on"
                        + " the trial host, outside Fly's private network; the gateway reached each team's app through"
                        + " its public URL."
                : "local-fly on the trial host, NOT Fly.io: the Fly Machines API emulated locally, each machine a local"
                        + " JVM process (suspend freezes it with SIGSTOP), no Firecracker, no image pull, no network"
                        + " between regions. The figures show the platform's own path, not Fly's.";
    }

    /** Writes both files; returns the JSON's path. */
    public static Path write(Path dir, String target, String command, TrialOptions options, Trial.Result result)
            throws IOException {
        Files.createDirectories(dir);
        String date = result.startedAt().atZone(ZoneOffset.UTC).toLocalDate().toString();
        String base = date + "-" + target;
        Map<String, Object> json = json(target, command, options, result);
        Path jsonFile = dir.resolve(base + ".json");
        Files.writeString(jsonFile, JSON.writeValueAsString(json) + "\n");
        Files.writeString(dir.resolve(base + ".md"), TrialMarkdown.of(base, json, result));
        return jsonFile;
    }

    static Map<String, Object> json(String target, String command, TrialOptions options, Trial.Result result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("target", target);
        json.put("label", label(target, options.region()));
        json.put("command", command);
        json.put("startedAt", result.startedAt().toString());
        json.put("finishedAt", result.finishedAt().toString());
        json.put(
                "host",
                Map.of(
                        "cpus", Runtime.getRuntime().availableProcessors(),
                        "os", System.getProperty("os.name") + " " + System.getProperty("os.version"),
                        "java", System.getProperty("java.version"),
                        "loadAverage1mAtStartAndEnd", result.loadAverages()));
        json.put("plan", options.plan());
        json.put("region", options.region());
        json.put("teams", options.teams());
        json.put("summary", summary(result.teams()));
        json.put("results", result.teams());
        Map<String, Object> fly = new LinkedHashMap<>();
        fly.put("calls", result.answers().calls());
        fly.put("notSuccessfulByKind", result.answers().byKind());
        fly.put("limitsAndQuotas", result.answers().limits());
        fly.put("notSuccessful", result.answers().answers());
        json.put("flyAnswers", fly);
        json.put("teardown", result.teardown());
        return json;
    }

    /** Per measure: how many teams gave it, min, median, max (ms). */
    static Map<String, Object> summary(List<Trial.TeamResult> teams) {
        Map<String, Object> summary = new LinkedHashMap<>();
        for (Measure measure : MEASURES) {
            List<Long> values = new ArrayList<>(teams.stream()
                    .map(measure.value())
                    .filter(Objects::nonNull)
                    .sorted()
                    .toList());
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("n", values.size());
            if (!values.isEmpty()) {
                stats.put("min", values.get(0));
                stats.put("median", median(values));
                stats.put("max", values.get(values.size() - 1));
            }
            summary.put(measure.name(), stats);
        }
        return summary;
    }

    static long median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
