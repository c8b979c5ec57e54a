package com.employable.flotilla.e2e.idle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.e2e.support.CloudEventRecords;
import com.employable.flotilla.e2e.support.CostCheck;
import com.employable.flotilla.e2e.support.LocalFlyClient;
import com.employable.flotilla.e2e.support.McpAgent;
import com.employable.flotilla.e2e.support.Platform;
import com.employable.flotilla.e2e.support.TopicRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The compressed activity run of issue 17: about 20 teams on local-fly's process runtime with a 30 s idle window,
 * agents working in bursts ({@link ActivityProfile#standard()}) through the gateway for 15 minutes, one server broken
 * on purpose while awake. It reports how much of the idle team-time was spent asleep (from local-fly's own record of
 * machine states), how soon the broken server was reported unhealthy, whether any sleeping server was, and the wake
 * latency agents saw. A harness, not a test: run it on demand with
 * {@code ./mvnw -pl e2e verify -Dflotilla.harness=idle [-Dflotilla.idle.teams=20 -Dflotilla.idle.minutes=15]}; the
 * report goes to {@code e2e/target/harness/idle-report.md} and the e2e README.
 */
@EnabledIfSystemProperty(named = "flotilla.harness", matches = "idle|all")
class IdleHarness {

    static final int TEAMS = Integer.getInteger("flotilla.idle.teams", 20);
    static final Duration RUN = Duration.ofMinutes(Integer.getInteger("flotilla.idle.minutes", 15));
    static final Duration IDLE_WINDOW = Duration.ofSeconds(30);
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(10);
    static final long SEED = Long.getLong("flotilla.idle.seed", 17);

    @Test
    void compressedActivityRun() throws Exception {
        var options = Platform.Options.defaults()
                .withFlyEnv(Map.of(
                        "LOCAL_FLY_AUTOSTOP_IDLE_SECONDS",
                        Long.toString(IDLE_WINDOW.toSeconds()),
                        "LOCAL_FLY_AUTOSTOP_CHECK_SECONDS",
                        "1"))
                .withServiceEnv(Map.of(
                        "FLOTILLA_HEALTH_INTERVAL",
                        PROBE_INTERVAL.toSeconds() + "s",
                        "FLOTILLA_PROVISIONER_OBSERVE_INTERVAL",
                        "5s"));
        List<TeamRun> teams = new ArrayList<>();
        for (int i = 0; i < TEAMS; i++) {
            String plan = i % 2 == 0 ? "starter" : "team";
            teams.add(new TeamRun(UUID.randomUUID().toString(), plan));
        }
        try (Platform platform = Platform.start("idle", options);
                TopicRecorder health = new TopicRecorder(TestKafka.bootstrapServers(), Topics.HEALTH_NAME)) {
            LocalFlyClient fly = new LocalFlyClient(platform.fly());
            Instant provisioningStarted = Instant.now();
            TopicProbe.send(
                    TestKafka.bootstrapServers(),
                    teams.stream()
                            .map(t -> CloudEventRecords.teamCreated(t.teamId(), "idle " + t.plan(), t.plan(), "iad"))
                            .toList());
            for (TeamRun team : teams) {
                McpAgent agent = platform.agent(team.teamId());
                await().atMost(Duration.ofMinutes(5))
                        .pollInterval(Duration.ofSeconds(1))
                        .ignoreExceptions()
                        .until(() ->
                                agent.initialize().ok() && agent.toolsList().ok());
            }
            Duration provisioning = Duration.between(provisioningStarted, Instant.now());

            TeamRun broken = teams.getFirst();
            Random random = new Random(SEED);
            Instant start = Instant.now();
            Instant end = start.plus(RUN);
            ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(
                    4, Thread.ofVirtual().name("agent-", 0).factory());
            for (TeamRun team : teams) {
                if (team != broken) {
                    for (ActivityProfile.Burst burst :
                            ActivityProfile.standard().bursts(random, RUN)) {
                        scheduler.schedule(
                                () -> team.burst(platform.agent(team.teamId()), burst.calls(), end),
                                burst.start().toMillis(),
                                TimeUnit.MILLISECONDS);
                    }
                }
            }
            BrokenServer breaker = new BrokenServer(fly, platform, broken, PROBE_INTERVAL);
            Instant breakAt = start.plus(RUN.dividedBy(3));
            scheduler.schedule(
                    breaker::run,
                    Duration.between(Instant.now(), breakAt.minusSeconds(60)).toMillis(),
                    TimeUnit.MILLISECONDS);
            await().atMost(RUN.plusMinutes(2))
                    .pollInterval(Duration.ofSeconds(5))
                    .until(() -> Instant.now().isAfter(end) && breaker.done());
            scheduler.shutdownNow();
            scheduler.awaitTermination(1, TimeUnit.MINUTES);

            IdleReport report = IdleReport.measure(
                    fly,
                    platform,
                    teams,
                    broken,
                    breaker,
                    health.received(),
                    start,
                    end,
                    IDLE_WINDOW,
                    PROBE_INTERVAL,
                    provisioning);
            List<CostCheck.TeamCost> costs = CostCheck.compare(
                    platform,
                    TestKafka.bootstrapServers(),
                    teams.stream().map(TeamRun::teamId).toList());
            String markdown = report.markdown(SEED, TEAMS, RUN) + CostCheck.markdown(costs);
            Path file = Files.createDirectories(Path.of("target", "harness")).resolve("idle-report.md");
            Files.writeString(file, markdown);
            System.out.println(markdown);
            assertThat(report.teamsMeasured())
                    .as("teams with a machine timeline")
                    .isEqualTo(TEAMS - 1);
        }
    }
}
