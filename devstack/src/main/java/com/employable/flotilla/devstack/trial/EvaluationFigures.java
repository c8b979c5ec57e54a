package com.employable.flotilla.devstack.trial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts a trial's figures into the evaluation's real-Fly placeholders ({@code <!-- figure: trial-... -->TBD} in
 * {@code docs/evaluation.md}), each as a link to the trial's summary, so that one trial run with a Fly token turns the
 * evaluation's "measured on real Fly" column into numbers. Only a trial against Fly.io fills them: local-fly's figures
 * are the platform's own path, not Fly's, and are reported beside the harnesses instead. A later trial replaces the
 * figures of an earlier one; a measure no team gave stays a placeholder.
 */
public final class EvaluationFigures {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A placeholder, or a figure a trial put there before: {@code [text](measurements/...)}. */
    private static final Pattern FIGURE =
            Pattern.compile("<!-- figure: (trial-[a-z0-9-]+) -->(TBD|\\[[^\\]\\n]*\\]\\(measurements/[^)\\n]*\\))");

    /** Each figure the evaluation names, from a trial's JSON report; empty when the trial did not measure it. */
    static final Map<String, Function<JsonNode, Optional<String>>> FIGURES = figures();

    private EvaluationFigures() {}

    /**
     * Fills the evaluation from the trial report {@code jsonReport} (its Markdown summary beside it is what the
     * figures link to), if the trial ran against Fly.io.
     *
     * @return how many figures were written
     */
    public static int fill(Path evaluation, Path jsonReport) throws IOException {
        JsonNode report = JSON.readTree(Files.readString(jsonReport));
        if (!"fly".equals(report.path("target").asString())) {
            return 0;
        }
        String summary = jsonReport.getFileName().toString().replaceFirst("\\.json$", ".md");
        var filled = fill(Files.readString(evaluation), report, "measurements/" + summary);
        Files.writeString(evaluation, filled.text());
        return filled.count();
    }

    record Filled(String text, int count) {}

    static Filled fill(String evaluation, JsonNode report, String link) {
        Matcher matcher = FIGURE.matcher(evaluation);
        var text = new StringBuilder();
        int count = 0;
        while (matcher.find()) {
            var figure = Optional.ofNullable(FIGURES.get(matcher.group(1))).flatMap(f -> f.apply(report));
            String replacement = matcher.group(0);
            if (figure.isPresent()) {
                replacement = "<!-- figure: " + matcher.group(1) + " -->[" + figure.get() + "](" + link + ")";
                count++;
            }
            matcher.appendReplacement(text, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(text);
        return new Filled(text.toString(), count);
    }

    private static Map<String, Function<JsonNode, Optional<String>>> figures() {
        Map<String, Function<JsonNode, Optional<String>>> figures = new LinkedHashMap<>();
        figures.put("trial-create-p50", report -> median(report, "createColdToFirstToolsListMs"));
        figures.put("trial-create-from-pool-p50", report -> median(report, "createFromPoolToFirstToolsListMs"));
        figures.put(
                "trial-start-from-stopped-p50",
                report -> both(report, "startFromStoppedViaRequestMs", "startFromStoppedViaApiMs"));
        figures.put(
                "trial-resume-from-suspended-p50",
                report -> both(report, "resumeFromSuspendedViaRequestMs", "resumeFromSuspendedViaApiMs"));
        figures.put("trial-fly-limits-and-quotas", EvaluationFigures::limits);
        return Map.copyOf(figures);
    }

    private static Optional<String> median(JsonNode report, String measure) {
        JsonNode stats = report.path("summary").path(measure);
        if (stats.path("n").asInt(0) == 0) {
            return Optional.empty();
        }
        return Optional.of(String.format(
                "p50 %,d ms (%d teams, %,d-%,d)",
                stats.path("median").asLong(),
                stats.path("n").asInt(),
                stats.path("min").asLong(),
                stats.path("max").asLong()));
    }

    private static Optional<String> both(JsonNode report, String viaRequest, String viaApi) {
        var request = median(report, viaRequest);
        var api = median(report, viaApi);
        if (request.isEmpty() && api.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("a request through the gateway " + request.orElse("not measured") + "; `start` until"
                + " `started` " + api.orElse("not measured"));
    }

    private static Optional<String> limits(JsonNode report) {
        JsonNode answers = report.path("flyAnswers");
        if (answers.isMissingNode()) {
            return Optional.empty();
        }
        int calls = 0;
        for (JsonNode byCaller : answers.path("calls")) {
            calls += byCaller.asInt();
        }
        var kinds = new StringBuilder();
        answers.path("notSuccessfulByKind")
                .properties()
                .forEach(kind -> kinds.append(kinds.isEmpty() ? "" : ", ")
                        .append(kind.getKey())
                        .append(" × ")
                        .append(kind.getValue().asInt()));
        int limits = answers.path("limitsAndQuotas").size();
        return Optional.of(String.format(
                "%,d Fly calls; not successful: %s; rate limit, capacity or quota answers: %d",
                calls, kinds.isEmpty() ? "none" : kinds, limits));
    }
}
