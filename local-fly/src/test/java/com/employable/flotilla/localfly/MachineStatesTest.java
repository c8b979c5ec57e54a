package com.employable.flotilla.localfly;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.localfly.FlyClient.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code GET /_admin/machine-states}: every state change with its time, for harnesses that measure sleep. */
class MachineStatesTest {

    @TempDir
    Path dataDir;

    @Test
    void everyStateChangeIsListedWithItsTimeAndTheSecondsInEachStateAddUp() throws Exception {
        try (LocalFly fly = LocalFly.start(LocalFlyConfig.simulated(dataDir))) {
            // a machine driven through its whole life at once: Fly's 1 wait/s per machine is not what is tested here
            fly.rateLimits().enabled(false);
            FlyClient client = new FlyClient(fly.apiUrl(), fly.token());
            FlyClient admin = new FlyClient(fly.apiUrl(), null);
            client.post("/v1/apps", "{\"app_name\":\"timeline\",\"org_slug\":\"personal\"}");
            client.post("/v1/apps", "{\"app_name\":\"elsewhere\",\"org_slug\":\"personal\"}");
            String id = client.post(
                            "/v1/apps/timeline/machines",
                            "{\"region\":\"fra\",\"config\":{\"image\":\"registry.fly.io/x:1\"}}")
                    .body()
                    .path("id")
                    .asString();
            client.post("/v1/apps/elsewhere/machines", "{\"config\":{\"image\":\"registry.fly.io/x:1\"}}");
            waitFor(client, id, "started");
            long afterStart = admin.get("/_admin/machine-states?app=timeline")
                            .body()
                            .path("machines")
                            .path(0)
                            .path("transitions")
                            .path(2)
                            .path("at_ms")
                            .asLong()
                    + 1;
            client.post("/v1/apps/timeline/machines/" + id + "/suspend", null);
            waitFor(client, id, "suspended");
            client.post("/v1/apps/timeline/machines/" + id + "/start", null);
            waitFor(client, id, "started");
            client.post("/v1/apps/timeline/machines/" + id + "/stop", null);
            waitFor(client, id, "stopped");

            Reply all = admin.get("/_admin/machine-states?app=timeline");
            assertThat(all.status()).isEqualTo(200);
            JsonNode machine = all.body().path("machines").path(0);
            assertThat(all.body().path("machines")).hasSize(1);
            assertThat(machine.path("id").asString()).isEqualTo(id);
            assertThat(machine.path("region").asString()).isEqualTo("fra");
            assertThat(machine.path("state").asString()).isEqualTo("stopped");
            assertThat(states(machine))
                    .containsExactly(
                            "created",
                            "starting",
                            "started",
                            "suspending",
                            "suspended",
                            "starting",
                            "started",
                            "stopping",
                            "stopped");
            long previous = 0;
            for (JsonNode change : machine.path("transitions")) {
                assertThat(change.path("at_ms").asLong()).isGreaterThanOrEqualTo(previous);
                previous = change.path("at_ms").asLong();
            }
            double total = 0;
            for (var seconds : machine.path("seconds_in_state").properties()) {
                total += seconds.getValue().asDouble();
            }
            long first = machine.path("transitions").path(0).path("at_ms").asLong();
            assertThat(total * 1000)
                    .as("the states cover the machine's whole life")
                    .isCloseTo(all.body().path("now_ms").asLong() - first, org.assertj.core.data.Offset.offset(2.0));
            assertThat(machine.path("seconds_in_state").path("started").asDouble())
                    .isPositive();

            JsonNode since = admin.get("/_admin/machine-states?app=timeline&since=" + afterStart)
                    .body()
                    .path("machines")
                    .path(0);
            assertThat(since.path("state_at_since").asString()).isEqualTo("started");
            assertThat(states(since))
                    .containsExactly("suspending", "suspended", "starting", "started", "stopping", "stopped");
            assertThat(admin.get("/_admin/machine-states").body().path("machines"))
                    .hasSize(2);
            Reply bad = admin.get("/_admin/machine-states?since=yesterday");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.error()).contains("since");
        }
    }

    private static List<String> states(JsonNode machine) {
        List<String> states = new ArrayList<>();
        machine.path("transitions")
                .forEach(change -> states.add(change.path("state").asString()));
        return states;
    }

    private static void waitFor(FlyClient client, String id, String state) {
        assertThat(client.get("/v1/apps/timeline/machines/" + id + "/wait?state=" + state + "&timeout=10")
                        .status())
                .isEqualTo(200);
    }
}
