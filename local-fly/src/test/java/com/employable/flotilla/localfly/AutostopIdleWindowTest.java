package com.employable.flotilla.localfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy's idle window comes from {@code LOCAL_FLY_AUTOSTOP_IDLE_SECONDS} and is what the idle sweep uses. */
class AutostopIdleWindowTest {

    @TempDir
    Path dataDir;

    @Test
    void theIdleWindowIsReadFromTheEnvironmentWithFiveMinutesByDefault() {
        assertThat(LocalFlyConfig.fromEnv(Map.of()).autostopIdle()).isEqualTo(Duration.ofSeconds(300));
        assertThat(LocalFlyConfig.fromEnv(Map.of("LOCAL_FLY_AUTOSTOP_IDLE_SECONDS", "30"))
                        .autostopIdle())
                .isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> LocalFlyConfig.fromEnv(Map.of("LOCAL_FLY_AUTOSTOP_IDLE_SECONDS", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LOCAL_FLY_AUTOSTOP_IDLE_SECONDS");
    }

    @Test
    void idleMachinesAreSuspendedOrStoppedPerTheirServiceOnceTheWindowPasses() throws Exception {
        try (LocalFly fly = LocalFly.start(LocalFlyConfig.simulated(dataDir).withAutostopIdle(Duration.ofSeconds(1)))) {
            FlyClient client = new FlyClient(fly.apiUrl(), fly.token());
            String app = "idle-" + System.nanoTime() % 100000;
            client.post("/v1/apps", "{\"app_name\":\"" + app + "\",\"org_slug\":\"personal\"}");
            String suspends = machine(client, app, "suspend");
            String stops = machine(client, app, "stop");
            String stays = machine(client, app, "off");

            assertThat(waitFor(client, app, suspends, "suspended")).isEqualTo(200);
            assertThat(waitFor(client, app, stops, "stopped")).isEqualTo(200);
            // three more seconds, three more sweeps: autostop "off" keeps it running
            assertThat(client.get("/v1/apps/" + app + "/machines/" + stays + "/wait?state=stopped,suspended&timeout=3")
                            .status())
                    .isEqualTo(408);
        }
    }

    private static String machine(FlyClient client, String app, String autostop) {
        String id = client.post(
                        "/v1/apps/" + app + "/machines",
                        "{\"region\":\"iad\",\"config\":{\"image\":\"registry.fly.io/x:1\",\"services\":[{"
                                + "\"protocol\":\"tcp\",\"internal_port\":8080,\"autostart\":true,"
                                + "\"autostop\":\"" + autostop + "\"}]}}")
                .body()
                .path("id")
                .asString();
        assertThat(waitFor(client, app, id, "started")).isEqualTo(200);
        return id;
    }

    private static int waitFor(FlyClient client, String app, String id, String state) {
        return client.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=" + state + "&timeout=15")
                .status();
    }
}
