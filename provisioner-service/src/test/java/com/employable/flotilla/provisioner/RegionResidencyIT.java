package com.employable.flotilla.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.common.events.server.ServerProvisioningFailed;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.common.kafka.DeadLetters;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.provisioner.support.LocalFlyProcess;
import com.employable.flotilla.provisioner.support.ProvisionerItBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Residency: capacity fallback stays inside the team's region group (local-fly's capacity per region, as
 * FaultToleranceIT uses it). A group with no capacity leaves the team in a retryable failure; it never leaves the group.
 */
class RegionResidencyIT extends ProvisionerItBase {

    private static final List<String> EU = List.of("fra", "ams", "cdg", "arn");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @AfterEach
    void restoreCapacity() throws Exception {
        for (String region : EU) {
            capacity(region, null);
        }
    }

    @Test
    void aFrankfurtTeamWithoutCapacityInFrankfurtLandsElsewhereInTheEuNeverInTheUs() throws Exception {
        capacity("fra", 0);
        String team = newTeamId("eu");
        publish(new TeamCreated(team, 1, "EU", "business", "fra", now()));
        ServerProvisioned provisioned = this.<ServerProvisioned>awaitOutcome(team, ServerProvisioned.TYPE, 1)
                .get(0);
        assertThat(provisioned.region()).isIn("ams", "cdg", "arn");
        assertThat(machines.list(APP_PREFIX + team))
                .hasSize(2)
                .allSatisfy(machine -> assertThat(machine.region()).isIn("ams", "cdg", "arn"));
    }

    @Test
    void anEuTeamWaitsRetryablyWhenTheWholeGroupIsFull() throws Exception {
        for (String region : EU) {
            capacity(region, 0);
        }
        String team = newTeamId("full");
        publish(new TeamCreated(team, 1, "Full", "starter", "fra", now()));
        List<ServerProvisioningFailed> failures = awaitOutcome(team, ServerProvisioningFailed.TYPE, 2);
        assertThat(failures).allSatisfy(failure -> {
            assertThat(failure.retryable()).isTrue();
            assertThat(failure.stage()).isEqualTo("machines");
            assertThat(failure.error()).contains("region group eu");
        });
        assertThat(machines.list(APP_PREFIX + team)).isEmpty();
        assertThat(jdbc.sql("select status from team where team_id = ?")
                        .param(team)
                        .query(String.class)
                        .single())
                .isNotEqualTo("failed");

        // capacity returns in the group: the retry places the team there
        capacity("cdg", null);
        ServerProvisioned provisioned = this.<ServerProvisioned>awaitOutcome(team, ServerProvisioned.TYPE, 1)
                .get(0);
        assertThat(provisioned.region()).isEqualTo("cdg");
    }

    @Test
    void aTeamInARegionOfNoGroupIsDeadLetteredNamingTheField() {
        String team = newTeamId("nowhere");
        try (TopicProbe dlt = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.TEAM_LIFECYCLE_NAME + "-dlt")) {
            // the contract refuses to build such an event: it is written as a producer outside Java would
            byte[] data = new String(
                            CloudEventCodec.writeData(new TeamCreated(team, 1, "Nowhere", "starter", "fra", now())),
                            StandardCharsets.UTF_8)
                    .replace("\"fra\"", "\"xyz\"")
                    .getBytes(StandardCharsets.UTF_8);
            TopicProbe.send(
                    TestKafka.bootstrapServers(),
                    List.of(CloudEventCodec.toRecord(
                            Topics.TEAM_LIFECYCLE_NAME,
                            team,
                            UUID.randomUUID().toString(),
                            TeamCreated.TYPE,
                            "employable/test",
                            now(),
                            data)));
            var dead = dlt.await(record -> team.equals(record.key()), 1, CONVERGE);
            assertThat(new String(
                            dead.get(0)
                                    .headers()
                                    .lastHeader(DeadLetters.REASON_HEADER)
                                    .value(),
                            StandardCharsets.UTF_8))
                    .contains("region")
                    .contains("xyz");
        }
        assertThat(apps.get(APP_PREFIX + team)).isEmpty();
    }

    private static void capacity(String region, Integer machines) throws Exception {
        var request = HttpRequest.newBuilder(
                        URI.create(LocalFlyProcess.shared(Map.of()).apiUrl() + "/_admin/capacity"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"region\":\"" + region + "\",\"machines\":" + machines + "}"))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isLessThan(300);
    }
}
