package com.employable.flotilla.e2e.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.e2e.support.CloudEventRecords;
import com.employable.flotilla.e2e.support.LocalFlyClient;
import com.employable.flotilla.e2e.support.McpAgent;
import com.employable.flotilla.e2e.support.Platform;
import com.employable.flotilla.e2e.support.TopicRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: a PostgreSQL outage of 60 s in the middle of a burst loses nothing. Every service reaches the database
 * through a relay that the test cuts for a minute (connections dropped, new ones refused: a failover as the services
 * see it) while teams are being created, some of them published during the outage. Afterwards every team's agents
 * reach their server through the gateway, each team has exactly one machine, and no dead-letter topic holds a record
 * of these teams: the outage was waited out, never dead-lettered.
 */
class DatabaseOutageIT {

    static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("flotilla.outage.seconds", 60));

    @Test
    void aMinuteWithoutTheDatabaseDuringABurstLosesNothing() throws Exception {
        List<String> before = teams(4);
        List<String> during = teams(3);
        List<String> all = new ArrayList<>(before);
        all.addAll(during);
        Set<String> dlts = Set.of(
                Topics.TEAM_LIFECYCLE_NAME + "-dlt",
                Topics.SERVER_LIFECYCLE_NAME + "-dlt",
                Topics.REGISTRY_NAME + "-dlt",
                Topics.HEALTH_NAME + "-dlt");
        try (Platform platform = Platform.start("db-outage", Platform.Options.defaults());
                TopicRecorder deadLetters =
                        new TopicRecorder(TestKafka.bootstrapServers(), dlts.toArray(String[]::new))) {
            TopicProbe.send(TestKafka.bootstrapServers(), created(before));
            platform.database().cut();
            Instant cutAt = Instant.now();
            await().atMost(OUTAGE)
                    .until(() -> Duration.between(cutAt, Instant.now()).compareTo(OUTAGE.dividedBy(2)) >= 0);
            TopicProbe.send(TestKafka.bootstrapServers(), created(during));
            await().atMost(OUTAGE)
                    .until(() -> Duration.between(cutAt, Instant.now()).compareTo(OUTAGE) >= 0);
            platform.database().restore();

            for (String team : all) {
                McpAgent agent = platform.agent(team);
                await().atMost(Duration.ofMinutes(4))
                        .pollInterval(Duration.ofSeconds(1))
                        .ignoreExceptions()
                        .untilAsserted(() -> {
                            assertThat(agent.initialize().ok()).isTrue();
                            assertThat(agent.toolsList().ok()).isTrue();
                        });
            }
            LocalFlyClient fly = new LocalFlyClient(platform.fly());
            for (String team : all) {
                assertThat(fly.machines("flotilla-team-" + team))
                        .as("machines of " + team)
                        .hasSize(1);
            }
            assertThat(deadLetters.received())
                    .as("dead letters of the burst's teams")
                    .noneMatch(received -> all.contains(received.record().key()));
        }
    }

    private static List<String> teams(int count) {
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            teams.add(UUID.randomUUID().toString());
        }
        return teams;
    }

    private static List<org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>> created(List<String> teams) {
        return teams.stream()
                .map(team -> CloudEventRecords.teamCreated(team, "outage", "starter", "iad"))
                .toList();
    }
}
