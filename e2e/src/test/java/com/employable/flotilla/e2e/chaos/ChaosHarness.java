package com.employable.flotilla.e2e.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The chaos suite's full form (issue 19): 3 instances of each service, a 200-team burst with plan changes, suspends,
 * resumes and deletes, every fault, one run per seed; prints a table of the runs. On demand:
 * {@code ./mvnw -pl e2e test -Dtest=ChaosHarness -Dflotilla.harness=chaos [-Dflotilla.chaos.runs=20]}.
 */
@EnabledIfSystemProperty(named = "flotilla.harness", matches = "chaos|all")
class ChaosHarness {

    @Test
    void twentySeeds() throws Exception {
        int runs = Integer.getInteger("flotilla.chaos.runs", 20);
        int teams = Integer.getInteger("flotilla.chaos.teams", 200);
        StringBuilder table =
                new StringBuilder("| seed | teams | instances | kills | malformed | converged in | violations |\n"
                        + "|---|---|---|---|---|---|---|\n");
        for (long seed = 1; seed <= runs; seed++) {
            ChaosRun.Result result = new ChaosRun(seed, teams, 3, Duration.ofMinutes(3), Duration.ofMinutes(5)).run();
            table.append("| ")
                    .append(seed)
                    .append(" | ")
                    .append(teams)
                    .append(" | 3 | ")
                    .append(result.kills())
                    .append(" | ")
                    .append(result.malformed())
                    .append(" | ")
                    .append(result.converged().toSeconds())
                    .append(" s | ")
                    .append(result.violations().isEmpty() ? "none" : String.join("; ", result.violations()))
                    .append(" |\n");
            Files.writeString(
                    Files.createDirectories(Path.of("target", "harness")).resolve("chaos-report.md"), table);
        }
        System.out.println(table);
    }
}
