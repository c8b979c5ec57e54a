package com.employable.flotilla.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.provisioner.audit.FlyCallAudit;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.support.LocalFlyProcess;
import com.employable.flotilla.provisioner.support.ProvisionerItBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Teams converge through an unreliable Fly: 30% server errors, 10% throttling, creates that succeed but answer 500,
 * and a region with no capacity. Every team ends with exactly its plan's machines (no duplicate from an ambiguous
 * create), in a fallback region, the client never exceeds Fly's documented rates, and the mutating calls stay within
 * three times the fault-free count.
 */
class FaultToleranceIT extends ProvisionerItBase {

    @org.springframework.beans.factory.annotation.Autowired
    private FlyCallAudit audit;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @AfterEach
    void clearFaults() throws Exception {
        admin("DELETE", "/_admin/faults", null);
        admin("POST", "/_admin/capacity", "{\"region\":\"syd\",\"machines\":null}");
    }

    @Test
    void everyTeamConvergesOnceThroughFaultsWithinTheCallBudget() throws Exception {
        // 12 in the suite; -Dflotilla.faults.teams=200 for the full-size run whose numbers are in the README
        int teams = Integer.getInteger("flotilla.faults.teams", 12);
        List<String> calm =
                IntStream.range(0, teams).mapToObj(i -> newTeamId("calm" + i)).toList();
        publish(calm.stream()
                .map(team -> new TeamCreated(team, 1, team, "starter", "iad", now()))
                .toArray(TeamCreated[]::new));
        calm.forEach(team -> awaitOutcome(team, ServerProvisioned.TYPE, 1));
        int calmMutations = mutatingCalls(calm);

        String limitedBefore = admin("GET", "/_admin/rate-limits", null);
        admin("POST", "/_admin/capacity", "{\"region\":\"syd\",\"machines\":0}");
        String apps = "/v1/apps/flotilla-team-storm[0-9]+-.*";
        admin(
                "POST",
                "/_admin/faults",
                "{\"path\":\"" + apps + "\",\"kind\":\"status\",\"status\":503," + "\"probability\":0.3}");
        admin(
                "POST",
                "/_admin/faults",
                "{\"path\":\"" + apps + "\",\"kind\":\"status\",\"status\":429," + "\"probability\":0.1}");
        admin(
                "POST",
                "/_admin/faults",
                "{\"method\":\"POST\",\"path\":\"/v1/apps/flotilla-team-storm[0-9]+-[^/]+/machines\","
                        + "\"kind\":\"ambiguous\",\"status\":500,\"probability\":0.3}");

        List<String> storm =
                IntStream.range(0, teams).mapToObj(i -> newTeamId("storm" + i)).toList();
        publish(storm.stream()
                .map(team -> new TeamCreated(team, 1, team, "starter", "syd", now()))
                .toArray(TeamCreated[]::new));
        for (String team : storm) {
            ServerProvisioned provisioned = this.<ServerProvisioned>awaitOutcome(team, ServerProvisioned.TYPE, 1)
                    .get(0);
            assertThat(provisioned.region())
                    .as("fell back from syd, inside its group")
                    .isIn("sin", "nrt", "bom");
        }
        String faultsFired = admin("GET", "/_admin/faults", null);
        String limitedAfter = admin("GET", "/_admin/rate-limits", null);
        admin("DELETE", "/_admin/faults", null);

        for (String team : storm) {
            List<Machine> running = machines.list("flotilla-team-" + team);
            assertThat(running).as("machines of %s", team).hasSize(1);
        }
        assertThat(faultsFired).doesNotContain("\"fired\":0}");
        // Fly's own limits were never hit by the provisioner: every 429 it saw was injected
        assertThat(limited(limitedAfter)).isEqualTo(limited(limitedBefore));
        int stormMutations = mutatingCalls(storm);
        System.out.printf(
                "fault tolerance: %d teams, mutating Fly calls fault-free %d, with faults %d (%.2fx)%n",
                teams, calmMutations, stormMutations, (double) stormMutations / calmMutations);
        assertThat(stormMutations).isLessThanOrEqualTo(3 * calmMutations);
    }

    private int mutatingCalls(List<String> teams) {
        // the audit is written off the reconcile's thread: everything audited so far, written
        assertThat(audit.flush(Duration.ofSeconds(10))).isTrue();
        return jdbc.sql("select count(*) from fly_call where team_id in (:teams) and method <> 'GET'")
                .param("teams", teams)
                .query(Integer.class)
                .single();
    }

    /** Sum of "limited" over every action, from local-fly's counters. */
    private static long limited(String counters) {
        long sum = 0;
        var matcher = java.util.regex.Pattern.compile("\"limited\":(\\d+)").matcher(counters);
        while (matcher.find()) {
            sum += Long.parseLong(matcher.group(1));
        }
        return sum;
    }

    private static String admin(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(
                        URI.create(LocalFlyProcess.shared(Map.of()).apiUrl() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isLessThan(300);
        return response.body();
    }
}
