package com.employable.flotilla.e2e.fastpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.e2e.support.CloudEventRecords;
import com.employable.flotilla.e2e.support.LocalFlyClient;
import com.employable.flotilla.e2e.support.McpAgent;
import com.employable.flotilla.e2e.support.Platform;
import com.employable.flotilla.e2e.support.ServiceProcesses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The short form of the new-team harness, in CI: on local-fly's process runtime with the real team server, a new team
 * claims a suspended warm-pool machine, which becomes the team's by exec (resumed, its identity written into the team
 * server's identity file) with no machine update, and the team's agent lists tools through the gateway. The machine
 * still runs the pool's config (its env names the placeholder); it answers as the team, and as nobody else. The
 * health-service runs in its production mode on Fly, {@code fly-checks}: it reads the machine's {@code mcp} check
 * through the Machines API, so the claimed machine, whose config the claim did not touch, must carry a check its team
 * server now passes.
 */
class WarmPoolClaimIT {

    @Test
    void aNewTeamIsServedByAClaimedPoolMachineWithoutAnUpdate() throws Exception {
        var options = Platform.Options.defaults()
                .withServiceEnv(Map.of(
                        "FLOTILLA_POOL_ENABLED", "true",
                        "FLOTILLA_PROVISIONER_POOL_TARGETS_IAD", "1",
                        "FLOTILLA_POOL_REFILL_PER_MINUTE", "60",
                        "FLOTILLA_HEALTH_PROBE_ADDRESS", "fly-checks"));
        try (Platform platform = Platform.start("warm-claim", options)) {
            LocalFlyClient fly = new LocalFlyClient(platform.fly());
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> PoolApps.readyNow(fly) > 0);
            String team = UUID.randomUUID().toString();

            long millis = NewTeamHarness.timeToFirstToolsList(platform, team, "iad");

            var claimed =
                    PoolApps.read(fly, PoolApps.POOL_PREFIX).machinesByTeam().get(team);
            assertThat(claimed)
                    .as("the team's machine is a claimed pool machine")
                    .singleElement();
            JsonNode machine = fly.get("/v1/apps/" + claimed.getFirst().app() + "/machines/"
                    + claimed.getFirst().id());
            assertThat(machine.path("config")
                            .path("env")
                            .path("FLOTILLA_TEAM_ID")
                            .asString())
                    .as("no update: the machine still runs the pool's config, its identity came by exec")
                    .startsWith("pool-");
            assertThat(machine.path("config")
                            .path("metadata")
                            .path("flotilla_create_key")
                            .isMissingNode())
                    .isFalse();
            McpAgent agent = platform.agent(team);
            assertThat(agent.initialize().ok()).isTrue();
            assertThat(agent.callTool("team_info", "{}").body()).contains(team);
            McpAgent stranger = platform.agent(UUID.randomUUID().toString());
            assertThat(stranger.initialize().ok())
                    .as("another team's agent is not served by it (the gateway routes it nowhere)")
                    .isFalse();
            awaitHealthyByItsMcpCheck(platform, team);

            // stopped before the provisioner gives it the team's config (autostop, a host move, anyone): a boot from
            // stopped has a fresh root filesystem, where the identity the exec wrote is gone; the next request starts
            // it through the proxy, and it must come up as the team's server all the same
            String path = "/v1/apps/" + claimed.getFirst().app() + "/machines/"
                    + claimed.getFirst().id();
            fly.post(path + "/stop", "{}");
            fly.get(path + "/wait?state=stopped&timeout=60");
            McpAgent afterStop = platform.agent(team);
            assertThat(afterStop.initialize().ok())
                    .as("the claimed machine, started again from stopped, serves its team")
                    .isTrue();
            assertThat(afterStop.callTool("team_info", "{}").body()).contains(team);
            System.out.println("warm-pool claim: team.created to first tools/list in " + millis + " ms");
        }
    }

    private static void awaitHealthyByItsMcpCheck(Platform platform, String team) {
        var http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    HttpResponse<String> response = http.send(
                            HttpRequest.newBuilder(URI.create(platform.url("health-service") + "/v1/health/" + team))
                                    .header("Authorization", "Bearer " + ServiceProcesses.OPERATOR_TOKEN)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                    JsonNode machine = CloudEventRecords.JSON
                            .readTree(response.body())
                            .path("machines")
                            .path(0);
                    assertThat(machine.path("lastProbe").path("ok").asBoolean())
                            .as("the claimed machine's mcp check, read through the Machines API: " + machine)
                            .isTrue();
                    assertThat(machine.path("status").asString()).isEqualTo("healthy");
                });
    }
}
