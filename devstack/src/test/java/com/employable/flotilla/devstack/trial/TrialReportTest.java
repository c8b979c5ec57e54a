package com.employable.flotilla.devstack.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrialReportTest {

    @TempDir
    Path dir;

    @Test
    void writesTheJsonAndTheSummaryNamedByDateAndTargetAndLabelledWithTheTarget() throws Exception {
        FlyAnswers answers = new FlyAnswers();
        answers.called("trial");
        answers.answered("provisioner", "machines.create", 412, "insufficient_capacity (insufficient_capacity)");
        answers.answered("trial", "machines.stop", 429, "rate limit exceeded");
        answers.answered("provisioner", "apps.get", 404, "app not found");
        var result = new Trial.Result(
                Instant.parse("2026-11-30T10:00:00Z"),
                Instant.parse("2026-11-30T10:02:00Z"),
                List.of(team("a", 3000L, 100L), team("b", 5000L, 300L), team("c", 4000L, null)),
                answers,
                new Teardown.Result(1500, List.of(), List.of()),
                List.of(0.5, 0.7));
        TrialOptions options = TrialOptions.parse(List.of("--teams", "3"), Duration.ofMinutes(4));

        Path json = TrialReport.write(dir, "local-fly", "./flotilla trial --teams 3", options, result);

        assertThat(json.getFileName()).hasToString("2026-11-30-local-fly.json");
        String text = Files.readString(json);
        assertThat(text).contains("\"target\" : \"local-fly\"", "NOT Fly.io", "\"createToFirstToolsListMs\"");
        String md = Files.readString(dir.resolve("2026-11-30-local-fly.md"));
        assertThat(md.lines().limit(3).toList())
                .anySatisfy(line -> assertThat(line).contains("**Target: local-fly**", "NOT Fly.io"));
        assertThat(md)
                .contains("| `createToFirstToolsListMs` |", "| 3 | 3000 | 4000 | 5000 |")
                .contains("| `warmToolsListMs` |", "| 2 | 100 | 200 | 300 |")
                .contains("`429` × 1", "`412 capacity` × 1", "`404` × 1")
                .contains("machines.create` 412: insufficient_capacity")
                .contains("every app gone 1.5 s later");
    }

    @Test
    void aFlyRunIsLabelledAsFlyAndWhatWasLeftBehindIsNamed() throws Exception {
        var result = new Trial.Result(
                Instant.parse("2026-12-01T08:00:00Z"),
                Instant.parse("2026-12-01T08:05:00Z"),
                List.of(team("a", 61000L, 900L)),
                new FlyAnswers(),
                new Teardown.Result(180000, List.of("flotilla-team-a"), List.of()),
                List.of(1.0, 1.0));

        TrialReport.write(dir, "fly", "./flotilla trial", TrialOptions.parse(List.of(), Duration.ofMinutes(4)), result);

        String md = Files.readString(dir.resolve("2026-12-01-fly.md"));
        assertThat(md).contains("**Target: fly**", "Fly.io (api.machines.dev)", "Left behind", "flotilla-team-a");
        assertThat(md).contains("Every call succeeded: no rate limit (429), capacity or quota answer.");
    }

    @Test
    void optionsAreBoundedAndNamedWhenWrong() {
        assertThat(TrialOptions.parse(List.of(), Duration.ofMinutes(1)).teams()).isEqualTo(3);
        assertThat(TrialOptions.parse(List.of("--teams", "5", "--plan", "team", "--region", "ams"), Duration.ZERO))
                .extracting(TrialOptions::teams, TrialOptions::plan, TrialOptions::region)
                .containsExactly(5, "team", "ams");
        assertThatThrownBy(() -> TrialOptions.parse(List.of("--teams", "0"), Duration.ZERO))
                .hasMessageContaining("--teams");
        assertThatThrownBy(() -> TrialOptions.parse(List.of("--teams", "21"), Duration.ZERO))
                .hasMessageContaining("--teams");
        assertThatThrownBy(() -> TrialOptions.parse(List.of("--region", "Fra;rm"), Duration.ZERO))
                .hasMessageContaining("--region");
        assertThatThrownBy(() -> TrialOptions.parse(List.of("--bogus"), Duration.ZERO))
                .hasMessageContaining("unknown option --bogus");
        assertThat(TrialOptions.parse(List.of(), Duration.ZERO).pool()).isZero();
        assertThat(TrialOptions.parse(List.of("--teams", "6", "--pool", "3"), Duration.ZERO)
                        .pool())
                .isEqualTo(3);
        assertThatThrownBy(() -> TrialOptions.parse(List.of("--teams", "2", "--pool", "3"), Duration.ZERO))
                .hasMessageContaining("--pool 3 is more than the 2 team(s)");
        assertThatThrownBy(() -> TrialOptions.parse(List.of("--pool", "-1"), Duration.ZERO))
                .hasMessageContaining("--pool");
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(TrialReport.median(List.of(1L, 2L, 10L))).isEqualTo(2);
        assertThat(TrialReport.median(List.of(1L, 3L, 5L, 100L))).isEqualTo(4);
    }

    @Test
    void teamsThatClaimedAWarmPoolAppAreSummarizedApartFromColdOnes() {
        var teams = List.of(
                team("a", 3000L, 100L),
                team("b", 5000L, 100L),
                team("c", 900L, 100L, "flotilla-pool-k3j9x0a1b2c3d4e5"),
                team("d", 1100L, 100L, "flotilla-pool-z9y8x7w6v5u4t3s2"));

        Map<String, Object> summary = TrialReport.summary(teams);

        assertThat(summary.get("createToFirstToolsListMs")).isEqualTo(stats(4, 900, 2050, 5000));
        assertThat(summary.get("createColdToFirstToolsListMs")).isEqualTo(stats(2, 3000, 4000, 5000));
        assertThat(summary.get("createFromPoolToFirstToolsListMs")).isEqualTo(stats(2, 900, 1000, 1100));
    }

    private static Map<String, Object> stats(long n, long min, long median, long max) {
        return Map.of("n", (int) n, "min", min, "median", median, "max", max);
    }

    private static Trial.TeamResult team(String name, Long create, Long warm) {
        return team(name, create, warm, "flotilla-team-" + name);
    }

    private static Trial.TeamResult team(String name, Long create, Long warm, String app) {
        return new Trial.TeamResult(
                name,
                app,
                "m-" + name,
                create - 2000,
                create - 1000,
                create,
                700L,
                warm,
                new Wakes.Wake("stopped", 1200L, 800L, List.of()),
                new Wakes.Wake("suspended", 300L, 20L, List.of()),
                Map.of(),
                List.of());
    }
}
