package com.employable.flotilla.provisioner.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.provisioner.team.ProvisionerPropertiesTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** A team is worked on only where its lifecycle partition is, and a revocation waits for the work in flight. */
class TeamOwnershipTest {

    private final TeamOwnership ownership = new TeamOwnership(ProvisionerPropertiesTest.properties(
            ProvisionerPropertiesTest.GATEWAY,
            "",
            ProvisionerPropertiesTest.PROBE,
            "",
            ProvisionerPropertiesTest.TEAM_DB,
            null));

    @Test
    void aTeamBelongsToThePartitionKafkasProducerPutsItsEventsIn() {
        IntStream.range(0, 200)
                .mapToObj(i -> "team-" + i)
                .forEach(team -> assertThat(TeamOwnership.partitionOf(team, 6))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(team.getBytes(StandardCharsets.UTF_8), 6)));
    }

    @Test
    void nothingIsOwnedBeforeAnAssignmentAndOnlyTheAssignedPartitionsAfter() {
        String inZero = teamIn(0);
        String inOne = teamIn(1);
        assertThat(ownership.owns(inZero)).isFalse();
        assertThat(ownership.enter(inZero)).isEmpty();

        ownership.assigned(List.of(0), 6);

        assertThat(ownership.owns(inZero)).isTrue();
        assertThat(ownership.owns(inOne)).isFalse();
        assertThat(ownership.runsSingletons()).isTrue();
    }

    @Test
    void aRevocationStopsNewWorkAndReturnsOnlyOnceTheWorkInFlightHasEnded() {
        String team = teamIn(2);
        ownership.assigned(List.of(2, 3), 6);
        TeamOwnership.Work inFlight = ownership.enter(team).orElseThrow();

        CompletableFuture<Void> revocation = CompletableFuture.runAsync(() -> ownership.revoked(List.of(2)));

        await().atMost(Duration.ofSeconds(5)).until(() -> !ownership.owns(team));
        assertThat(ownership.enter(team)).as("no new work on a revoked team").isEmpty();
        assertThat(revocation).as("waiting for the pass in flight").isNotDone();
        inFlight.close();
        await().atMost(Duration.ofSeconds(5)).until(revocation::isDone);
        assertThat(ownership.owns(teamIn(3))).isTrue();
    }

    private static String teamIn(int partition) {
        return IntStream.range(0, 1000)
                .mapToObj(i -> "team-" + i)
                .filter(team -> TeamOwnership.partitionOf(team, 6) == partition)
                .findFirst()
                .orElseThrow();
    }
}
