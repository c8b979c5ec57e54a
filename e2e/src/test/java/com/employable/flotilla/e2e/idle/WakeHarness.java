package com.employable.flotilla.e2e.idle;

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
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.JsonNode;

/**
 * Wake through the gateway (issue 17 acceptance), on local-fly's process runtime: a starter team's machine is
 * suspended and a team-plan team's machine stopped through the Machines API, then one agent request goes through the
 * gateway and its latency is the wake as an agent sees it. From suspended the agent keeps its MCP session (a ping in
 * the session opened before); from stopped it opens a new one (the process restarted). {@code WAKES} of each;
 * every failed request is counted. Run: {@code ./mvnw -pl e2e verify -Dflotilla.harness=wake}.
 */
@EnabledIfSystemProperty(named = "flotilla.harness", matches = "wake|all")
class WakeHarness {

    static final int WAKES = Integer.getInteger("flotilla.wake.count", 100);

    @Test
    void wakesThroughTheGateway() throws Exception {
        try (Platform platform = Platform.start("wake", Platform.Options.defaults())) {
            LocalFlyClient fly = new LocalFlyClient(platform.fly());
            String suspending = UUID.randomUUID().toString();
            String stopping = UUID.randomUUID().toString();
            TopicProbe.send(
                    TestKafka.bootstrapServers(),
                    List.of(
                            CloudEventRecords.teamCreated(suspending, "wake starter", "starter", "iad"),
                            CloudEventRecords.teamCreated(stopping, "wake team", "team", "iad")));
            StringBuilder report = new StringBuilder(
                    "| from | wakes | failed | p50 ms | p99 ms | max ms |\n" + "|---|---|---|---|---|---|\n");
            report.append(wake(platform, fly, suspending, "suspend", "suspended"));
            report.append(wake(platform, fly, stopping, "stop", "stopped"));
            Path file = Files.createDirectories(Path.of("target", "harness")).resolve("wake-report.md");
            Files.writeString(file, report);
            System.out.println(report);
        }
    }

    private static String wake(Platform platform, LocalFlyClient fly, String team, String action, String state)
            throws Exception {
        McpAgent agent = platform.agent(team);
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> agent.initialize().ok() && agent.toolsList().ok());
        String app = "flotilla-team-" + team;
        String machine = fly.machines(app).get(0).path("id").asString();
        List<Long> millis = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < WAKES; i++) {
            fly.post("/v1/apps/" + app + "/machines/" + machine + "/" + action, "{}");
            JsonNode settled =
                    fly.get("/v1/apps/" + app + "/machines/" + machine + "/wait?state=" + state + "&timeout=30");
            if (!settled.path("ok").asBoolean(true)) {
                failed++;
                continue;
            }
            McpAgent.Answer answer = "suspended".equals(state) ? agent.ping() : agent.initialize();
            if (answer.ok()) {
                millis.add(answer.nanos() / 1_000_000);
                if (!"suspended".equals(state)) {
                    agent.toolsList();
                }
            } else {
                failed++;
                agent.initialize();
            }
        }
        List<Long> sorted = millis.stream().sorted().toList();
        return "| " + state + " | " + WAKES + " | " + failed + " | " + IdleReport.percentile(sorted, 50) + " | "
                + IdleReport.percentile(sorted, 99) + " | " + (sorted.isEmpty() ? "-" : sorted.getLast()) + " |\n";
    }
}
