package com.employable.flotilla.devstack.trial;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The Markdown summary of a trial: its target first, then the figures, Fly's answers and the teardown. */
final class TrialMarkdown {

    private TrialMarkdown() {}

    @SuppressWarnings("unchecked")
    static String of(String base, Map<String, Object> json, Trial.Result result) {
        String target = (String) json.get("target");
        StringBuilder md = new StringBuilder();
        md.append("# Trial on ").append(target).append(", ").append(base, 0, 10).append("\n\n");
        md.append("> **Target: ")
                .append(target)
                .append("**. ")
                .append(json.get("label"))
                .append("\n\n");
        Map<String, Object> host = (Map<String, Object>) json.get("host");
        md.append("Command `")
                .append(json.get("command"))
                .append("`: ")
                .append(json.get("teams"))
                .append(" team(s) on plan ")
                .append(json.get("plan"))
                .append(", region ")
                .append(json.get("region"))
                .append(", from ")
                .append(json.get("startedAt"))
                .append(" to ")
                .append(json.get("finishedAt"))
                .append(". Host: ")
                .append(host.get("cpus"))
                .append(" CPUs, ")
                .append(host.get("os"))
                .append(", Java ")
                .append(host.get("java"))
                .append(", load average ")
                .append(host.get("loadAverage1mAtStartAndEnd"))
                .append(" (1 min, at the start and the end; the host may be shared). Every figure: [`")
                .append(base)
                .append(".json`](")
                .append(base)
                .append(
                        ".json); harness: `./flotilla trial` ([devstack/README.md](../../devstack/README.md#trial)).\n\n");

        md.append(
                "## Summary (milliseconds)\n\n| measure | what it is | n | min | median | max |\n|---|---|---|---|---|---|\n");
        Map<String, Object> summary = (Map<String, Object>) json.get("summary");
        for (TrialReport.Measure measure : TrialReport.MEASURES) {
            Map<String, Object> stats = (Map<String, Object>) summary.get(measure.name());
            md.append("| `")
                    .append(measure.name())
                    .append("` | ")
                    .append(measure.meaning())
                    .append(" | ")
                    .append(stats.get("n"))
                    .append(" | ")
                    .append(cell(stats.get("min")))
                    .append(" | ")
                    .append(cell(stats.get("median")))
                    .append(" | ")
                    .append(cell(stats.get("max")))
                    .append(" |\n");
        }

        md.append("\nHow to read them: create is the provisioner's work (`createToProvisionedMs`: Fly API calls and"
                + " the reconcile) followed by the registry and health confirming the server (`createToRoutableMs`);"
                + " \"via API\" is Fly's machine reaching `started`, \"via request\" is what an agent sees: the gateway,"
                + " the proxy holding the request while the machine starts, and the team server answering its first"
                + " requests after the start or resume.\n");
        md.append("\n## Per team (milliseconds)\n\n| team | machine | create → tools/list | first tools/list | warm"
                + " | from stopped (request / API) | from suspended (request / API) | notes |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Trial.TeamResult t : result.teams()) {
            md.append("| ")
                    .append(t.team())
                    .append(" | ")
                    .append(cell(t.machine()))
                    .append(" | ")
                    .append(cell(t.createToFirstToolsListMs()))
                    .append(" | ")
                    .append(cell(t.firstToolsListMs()))
                    .append(" | ")
                    .append(cell(t.warmToolsListMs()))
                    .append(" | ")
                    .append(wake(t.fromStopped()))
                    .append(" | ")
                    .append(wake(t.fromSuspended()))
                    .append(" | ")
                    .append(notes(t))
                    .append(" |\n");
        }

        FlyAnswers answers = result.answers();
        md.append("\n## Limits and quotas Fly answered with\n\n");
        md.append("Fly API calls: ")
                .append(answers.calls().entrySet().stream()
                        .map(e -> e.getValue() + " by the " + e.getKey())
                        .collect(Collectors.joining(", ")))
                .append(" (the provisioner's from its audit, `GET /v1/teams/{team}/fly-calls`).\n\n");
        if (answers.answers().isEmpty()) {
            md.append("Every call succeeded: no rate limit (429), capacity or quota answer.\n");
        } else {
            md.append("Not successful, by kind: ")
                    .append(answers.byKind().entrySet().stream()
                            .map(e -> "`" + e.getKey() + "` × " + e.getValue())
                            .collect(Collectors.joining(", ")))
                    .append(".\n\n");
            List<FlyAnswers.Answer> limits = answers.limits();
            md.append(
                    limits.isEmpty()
                            ? "None of them was a rate limit, capacity or quota answer.\n"
                            : "Limits and quotas:\n\n");
            limits.forEach(a -> md.append("- ")
                    .append(a.source())
                    .append(" `")
                    .append(a.endpoint())
                    .append("` ")
                    .append(a.status())
                    .append(": ")
                    .append(a.error())
                    .append("\n"));
        }

        Teardown.Result down = result.teardown();
        md.append("\n## Teardown\n\n");
        if (down == null) {
            md.append("Interrupted before the teardown finished.\n");
        } else if (down.leftBehind().isEmpty()) {
            md.append(String.format(
                    "`team.deleted` published for every team; every app gone %.1f s later.%n",
                    down.appsGoneMs() / 1000.0));
        } else {
            md.append("Left behind (remove by hand): ")
                    .append(down.leftBehind())
                    .append("\n");
        }
        if (down != null) {
            down.failures().forEach(f -> md.append("- ").append(f).append("\n"));
        }

        md.append("\n## Re-run\n\n```sh\n./flotilla trial --teams 3                      # local-fly (the default)\n"
                + "FLY_API_TOKEN=... FLOTILLA_FLY_ORG=... FLOTILLA_TEAM_SERVER_IMAGE=registry.fly.io/... \\\n"
                + "  ./flotilla trial --teams 3                    # Fly.io: writes <date>-fly.json and .md\n```\n");
        return md.toString();
    }

    private static String wake(Wakes.Wake wake) {
        return wake == null ? "-" : cell(wake.viaRequestMs()) + " / " + cell(wake.viaApiMs());
    }

    private static String notes(Trial.TeamResult t) {
        var all = new java.util.ArrayList<String>();
        if (t.fromPool()) {
            all.add("claimed warm-pool app " + t.app());
        }
        all.addAll(t.notes());
        if (t.fromStopped() != null) {
            all.addAll(t.fromStopped().notes());
        }
        if (t.fromSuspended() != null) {
            all.addAll(t.fromSuspended().notes());
        }
        return all.isEmpty() ? "" : String.join("; ", all).replace("|", "\\|");
    }

    private static String cell(Object value) {
        return value == null ? "-" : value.toString();
    }
}
