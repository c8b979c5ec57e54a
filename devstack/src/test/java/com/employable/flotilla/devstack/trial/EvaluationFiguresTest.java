package com.employable.flotilla.devstack.trial;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A trial on Fly.io fills the evaluation's real-Fly column; one on local-fly never does. */
class EvaluationFiguresTest {

    private static final Path EVALUATION = Path.of("..", "docs", "evaluation.md");
    private static final Pattern TRIAL_FIGURE = Pattern.compile("<!-- figure: (trial-[a-z0-9-]+) -->");

    @TempDir
    Path dir;

    @Test
    void everyTrialFigureTheEvaluationNamesIsOneTheTrialFills() throws Exception {
        Set<String> named = new TreeSet<>();
        Matcher matcher = TRIAL_FIGURE.matcher(Files.readString(EVALUATION));
        while (matcher.find()) {
            named.add(matcher.group(1));
        }
        assertThat(named).isEqualTo(new TreeSet<>(EvaluationFigures.FIGURES.keySet()));
    }

    @Test
    void theTrialNamesPoolAppsAsTheProvisionerDoes() {
        assertThat(TrialPool.APP_PREFIX)
                .isEqualTo(com.employable.flotilla.common.teams.TeamAddresses.defaults()
                        .poolAppPrefix());
    }

    @Test
    void aTrialOnFlyFillsEveryTrialFigureAndALaterTrialReplacesThem() throws Exception {
        Path evaluation = dir.resolve("evaluation.md");
        Files.copy(EVALUATION, evaluation);
        Path first = report("2026-12-01-fly.json", "fly", 6906);

        assertThat(EvaluationFigures.fill(evaluation, first)).isEqualTo(EvaluationFigures.FIGURES.size());

        String filled = Files.readString(evaluation);
        assertThat(filled).doesNotContainPattern("figure: trial-[a-z0-9-]+ -->TBD");
        assertThat(filled)
                .contains("<!-- figure: trial-create-p50 -->[p50 6,906 ms (3 teams, 6,887-7,420)]"
                        + "(measurements/2026-12-01-fly.md)")
                .contains("<!-- figure: trial-create-from-pool-p50 -->[p50 1,100 ms (2 teams, 900-1,300)]")
                .contains("a request through the gateway p50 462 ms (3 teams, 443-578); `start` until `started` "
                        + "p50 194 ms (3 teams, 169-252)")
                .contains("[139 Fly calls; not successful: 404 × 3, 429 × 7; rate limit, capacity or quota "
                        + "answers: 1](measurements/2026-12-01-fly.md)");
        // outside the figures, nothing changed
        assertThat(filled.replaceAll(
                        "(<!-- figure: trial-[a-z0-9-]+ -->)\\[[^\\]\\n]*\\]\\(measurements/[^)\\n]*\\)", "$1TBD"))
                .isEqualTo(Files.readString(EVALUATION));

        Path later = report("2026-12-08-fly.json", "fly", 5100);
        assertThat(EvaluationFigures.fill(evaluation, later)).isEqualTo(EvaluationFigures.FIGURES.size());
        String refilled = Files.readString(evaluation);
        assertThat(refilled)
                .contains("<!-- figure: trial-create-p50 -->[p50 5,100 ms (3 teams, 6,887-7,420)]"
                        + "(measurements/2026-12-08-fly.md)")
                .doesNotContain("2026-12-01-fly.md");
    }

    @Test
    void aTrialOnLocalFlyLeavesTheEvaluationAsItIs() throws Exception {
        Path evaluation = dir.resolve("evaluation.md");
        Files.copy(EVALUATION, evaluation);

        assertThat(EvaluationFigures.fill(evaluation, report("2026-12-01-local-fly.json", "local-fly", 6906)))
                .isZero();

        assertThat(Files.readString(evaluation)).isEqualTo(Files.readString(EVALUATION));
    }

    @Test
    void aMeasureNoTeamGaveStaysAPlaceholder() throws Exception {
        JsonNode report = JsonMapper.builder()
                .build()
                .readTree("{\"target\":\"fly\",\"summary\":{\"createColdToFirstToolsListMs\":{\"n\":0}}}");

        var filled = EvaluationFigures.fill(
                "a <!-- figure: trial-create-p50 -->TBD b", report, "measurements/2026-12-01-fly.md");

        assertThat(filled.text()).isEqualTo("a <!-- figure: trial-create-p50 -->TBD b");
        assertThat(filled.count()).isZero();
    }

    private Path report(String name, String target, long createMedian) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, """
                {"target": "%s",
                 "summary": {
                   "createToFirstToolsListMs": {"n": 5, "min": 900, "median": 6887, "max": 7420},
                   "createColdToFirstToolsListMs": {"n": 3, "min": 6887, "median": %d, "max": 7420},
                   "createFromPoolToFirstToolsListMs": {"n": 2, "min": 900, "median": 1100, "max": 1300},
                   "firstToolsListMs": {"n": 3, "min": 61, "median": 77, "max": 389},
                   "startFromStoppedViaRequestMs": {"n": 3, "min": 443, "median": 462, "max": 578},
                   "startFromStoppedViaApiMs": {"n": 3, "min": 169, "median": 194, "max": 252},
                   "resumeFromSuspendedViaRequestMs": {"n": 3, "min": 47, "median": 67, "max": 212},
                   "resumeFromSuspendedViaApiMs": {"n": 3, "min": 9, "median": 14, "max": 21}},
                 "flyAnswers": {
                   "calls": {"trial": 94, "provisioner": 45},
                   "notSuccessfulByKind": {"404": 3, "429": 7},
                   "limitsAndQuotas": [{"source": "trial", "endpoint": "machines.wait", "status": 429}]}}
                """.formatted(target, createMedian));
        return file;
    }
}
