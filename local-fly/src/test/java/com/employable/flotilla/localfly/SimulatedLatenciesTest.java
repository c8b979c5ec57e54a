package com.employable.flotilla.localfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.localfly.runtime.SimulatedLatencies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated runtime's latencies: the {@code fly} profile by default, each overridable, each one used. */
class SimulatedLatenciesTest {

    @TempDir
    Path dataDir;

    @Test
    void theFlyProfileIsTheDefaultAndEachLatencyCanBeOverridden() {
        assertThat(LocalFlyConfig.fromEnv(Map.of()).simulated()).isEqualTo(SimulatedLatencies.fly());
        SimulatedLatencies fly = SimulatedLatencies.fly();
        assertThat(fly.resume()).isLessThan(fly.start());
        assertThat(fly.start()).isLessThan(fly.create());
        assertThat(fly.create()).isLessThan(fly.update());

        SimulatedLatencies tuned = SimulatedLatencies.fromEnv(
                Map.of("LOCAL_FLY_SIM_PROFILE", "fast", "LOCAL_FLY_SIM_RESUME_MS", "7", "LOCAL_FLY_SIM_API_MS", "3"));
        assertThat(tuned.resume()).isEqualTo(Duration.ofMillis(7));
        assertThat(tuned.api()).isEqualTo(Duration.ofMillis(3));
        assertThat(tuned.start()).isEqualTo(SimulatedLatencies.fast().start());
        assertThatThrownBy(() -> SimulatedLatencies.fromEnv(Map.of("LOCAL_FLY_SIM_PROFILE", "mars")))
                .hasMessageContaining("LOCAL_FLY_SIM_PROFILE");
        assertThatThrownBy(() -> SimulatedLatencies.fromEnv(Map.of("LOCAL_FLY_SIM_STOP_MS", "soon")))
                .hasMessageContaining("LOCAL_FLY_SIM_STOP_MS");
    }

    @Test
    void eachMoveTakesItsOwnLatency() throws Exception {
        Duration never = Duration.ofHours(1);
        // every move immediate but one: the machine stays in that move's transient state
        var latencies = new SimulatedLatencies(
                Duration.ZERO, Duration.ZERO, never, Duration.ZERO, Duration.ZERO, never, Duration.ZERO, Duration.ZERO);
        try (LocalFly fly = LocalFly.start(LocalFlyConfig.simulated(dataDir).withSimulated(latencies))) {
            fly.rateLimits().enabled(false);
            FlyClient client = new FlyClient(fly.apiUrl(), fly.token());
            client.post("/v1/apps", "{\"app_name\":\"latencies\",\"org_slug\":\"personal\"}");
            String config = "{\"config\":{\"image\":\"registry.fly.io/x:1\"}}";
            String id = client.post("/v1/apps/latencies/machines", config)
                    .body()
                    .path("id")
                    .asString();
            String machine = "/v1/apps/latencies/machines/" + id;
            assertThat(client.get(machine + "/wait?state=started&timeout=10").status())
                    .isEqualTo(200);

            client.post(machine + "/suspend", null);
            assertThat(client.get(machine + "/wait?state=suspended&timeout=10").status())
                    .isEqualTo(200);
            client.post(machine + "/start", null);
            assertThat(client.get(machine + "/wait?state=started&timeout=1").status())
                    .as("resume takes its latency")
                    .isEqualTo(408);

            String other = client.post("/v1/apps/latencies/machines", config)
                    .body()
                    .path("id")
                    .asString();
            assertThat(client.get("/v1/apps/latencies/machines/" + other + "/wait?state=started&timeout=10")
                            .status())
                    .isEqualTo(200);
            client.post("/v1/apps/latencies/machines/" + other, config);
            assertThat(client.get("/v1/apps/latencies/machines/" + other + "/wait?state=started&timeout=1")
                            .status())
                    .as("the boot after an update takes the update's latency")
                    .isEqualTo(408);
            client.post("/v1/apps/latencies/machines/" + other + "/stop", null);
        }
    }
}
