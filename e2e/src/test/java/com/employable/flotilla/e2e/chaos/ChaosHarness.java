package com.employable.flotilla.e2e.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The chaos suite's full form (issue 19): 3 instances of each service, a 200-team burst with plan changes, suspends,
 * resumes and deletes, every fault, one run per seed; prints a table of the runs. On demand:
 * {@code ./mvnw -pl e2e test -Dtest=ChaosHarness -Dflotilla.harness=chaos [-Dflotilla.chaos.runs=20]
 * -Dflotilla.chaos.first-seed=1 -Dflotilla.chaos.seconds=180 -Dflotilla.chaos.teams=200]}.
 */
@EnabledIfSystemProperty(named = "flotilla.harness", matches = "chaos|all")
class ChaosHarness {

    @Test
    void twentySeeds() throws Exception {
        int runs = Integer.getInteger("flotilla.chaos.runs", 20);
        int teams = Integer.getInteger("flotilla.chaos.teams", 200);
        long firstSeed = Long.getLong("flotilla.chaos.first-seed", 1);
        Duration chaos = Duration.ofSeconds(Long.getLong("flotilla.chaos.seconds", 180));
        StringBuilder table = new StringBuilder(
                "| seed | teams | instances | kills | malformed | converged in | billing = recomputation | violations |\n"
                        + "|---|---|---|---|---|---|---|---|\n");
        for (long seed = firstSeed; seed < firstSeed + runs; seed++) {
            ChaosRun.Result result;
            try {
                result = new ChaosRun(seed, teams, 3, chaos, Duration.ofMinutes(5)).run();
            } catch (Exception aborted) {
                // the harness itself failed (a broker that did not come back in time, say): the row says so
                result = new ChaosRun.Result(
                        seed, List.of("run aborted: " + aborted), 0, 0, Duration.ZERO, "not checked");
            }
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
                    .append(result.billing())
                    .append(" | ")
                    .append(shown(result.violations()))
                    .append(" |\n");
            Files.writeString(
                    Files.createDirectories(Path.of("target", "harness")).resolve("chaos-report.md"), table);
        }
        System.out.println(table);
    }

    /** The first few violations and how many more: enough to start from the run's logs. */
    private static String shown(List<String> violations) {
        if (violations.isEmpty()) {
            return "none";
        }
        String first = String.join("; ", violations.subList(0, Math.min(5, violations.size())));
        return violations.size() > 5 ? first + "; and " + (violations.size() - 5) + " more" : first;
    }
}
