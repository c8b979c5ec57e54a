package com.employable.flotilla.e2e.fastpath;

import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.e2e.support.CloudEventRecords;
import com.employable.flotilla.e2e.support.LocalFlyClient;
import com.employable.flotilla.e2e.support.McpAgent;
import com.employable.flotilla.e2e.support.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 18's new-team latency, from {@code team.created} on Kafka (binary CloudEvents, as employable sends it) to the
 * first {@code tools/list} answered through the gateway, on local-fly's process runtime, 20 teams one at a time from
 * the warm pool and 20 created cold, side by side in one run. The pool is kept in {@code iad} only, so teams in
 * {@code fra} (another residency group) are always created cold. Run:
 * {@code ./mvnw -pl e2e test -Dtest=NewTeamHarness -Dflotilla.harness=new-team}; the report goes to
 * {@code target/harness/new-team-report.md}.
 */
@EnabledIfSystemProperty(named = "flotilla.harness", matches = "new-team|all")
class NewTeamHarness {

    static final int TEAMS = Integer.getInteger("flotilla.new-team.count", 20);

    @Test
    void fromThePoolAndCold() throws Exception {
        var options = Platform.Options.defaults()
                .withServiceEnv(Map.of(
                        "FLOTILLA_POOL_ENABLED", "true",
                        "FLOTILLA_PROVISIONER_POOL_TARGETS_IAD", "3",
                        "FLOTILLA_POOL_REFILL_PER_MINUTE", "60"));
        try (Platform platform = Platform.start("new-team", options)) {
            LocalFlyClient fly = new LocalFlyClient(platform.fly());
            List<Long> pooled = new ArrayList<>();
            List<Long> cold = new ArrayList<>();
            for (int i = 0; i < TEAMS; i++) {
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> PoolApps.readyNow(fly) > 0);
                pooled.add(timeToFirstToolsList(platform, "iad"));
                cold.add(timeToFirstToolsList(platform, "fra"));
            }
            String report = "| path | teams | p50 ms | p90 ms | max ms |\n|---|---|---|---|---|\n"
                    + row("from the warm pool (iad)", pooled) + row("cold create (fra)", cold);
            Files.writeString(
                    Files.createDirectories(Path.of("target", "harness")).resolve("new-team-report.md"), report);
            System.out.println(report);
        }
    }

    /** Publishes one team.created and calls the gateway until the team's first tools/list is answered. */
    static long timeToFirstToolsList(Platform platform, String region) throws Exception {
        return timeToFirstToolsList(platform, UUID.randomUUID().toString(), region);
    }

    static long timeToFirstToolsList(Platform platform, String team, String region) throws Exception {
        McpAgent agent = platform.agent(team);
        long start = System.nanoTime();
        TopicProbe.send(
                TestKafka.bootstrapServers(),
                List.of(CloudEventRecords.teamCreated(team, "new team", "starter", region)));
        while (System.nanoTime() - start < Duration.ofMinutes(3).toNanos()) {
            try {
                if (agent.initialize().ok() && agent.toolsList().ok()) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
            } catch (java.io.IOException notYet) {
                // the gateway or the server is not there yet
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        throw new AssertionError("team " + team + " in " + region + " never answered tools/list");
    }

    private static String row(String path, List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        return "| " + path + " | " + sorted.size() + " | " + percentile(sorted, 50) + " | " + percentile(sorted, 90)
                + " | " + sorted.getLast() + " |\n";
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
