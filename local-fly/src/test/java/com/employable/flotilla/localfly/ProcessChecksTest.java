package com.employable.flotilla.localfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.localfly.FlyClient.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Machine checks of real processes, read back through the Machines API exactly as a client reads Fly's: a started
 * machine's check runs against its process and reports in {@code checks[]}; once stopped, the check stops running
 * (and wakes nothing), keeping its last result.
 */
class ProcessChecksTest {

    @TempDir
    static Path dataDir;

    private static final Duration POLL = Duration.ofMillis(300);

    private static LocalFly fly;

    private static FlyClient client;

    @BeforeAll
    static void start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = java + " -cp " + System.getProperty("java.class.path") + " " + EchoServerMain.class.getName();
        fly = LocalFly.start(LocalFlyConfig.simulated(dataDir)
                .withRuntime("process", Optional.empty(), "registry.fly.io/echo=" + command));
        client = new FlyClient(fly.apiUrl(), fly.token());
    }

    @AfterAll
    static void stop() {
        fly.close();
    }

    private static JsonNode check(String app, String id) {
        JsonNode checks =
                client.get("/v1/apps/" + app + "/machines/" + id).body().path("checks");
        assertThat(checks.size()).isEqualTo(1);
        return checks.get(0);
    }

    @Test
    void aStartedMachinesCheckRunsAgainstItsProcessAndStopsWithIt() {
        String app = "checked-" + System.nanoTime() % 100000;
        client.post("/v1/apps", "{\"app_name\":\"" + app + "\",\"org_slug\":\"personal\",\"network\":\"" + app + "\"}");
        // /count answers how often it was called: each run's output differs, so a frozen output is a check not run
        Reply created = client.post(
                "/v1/apps/" + app + "/machines",
                "{\"region\":\"iad\",\"config\":{\"image\":\"registry.fly.io/echo:1\",\"restart\":{\"policy\":\"no\"},"
                        + "\"services\":[{\"protocol\":\"tcp\",\"internal_port\":8080,\"autostart\":true,"
                        + "\"autostop\":\"stop\"}],"
                        + "\"checks\":{\"count\":{\"type\":\"http\",\"port\":8080,\"method\":\"GET\",\"path\":\"/count\","
                        + "\"interval\":\"300ms\",\"timeout\":\"2s\",\"grace_period\":\"0s\"}}}}");
        String id = created.body().path("id").asString();
        assertThat(client.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=started&timeout=60")
                        .status())
                .isEqualTo(200);

        // polled at under Fly's 5 gets per second per machine (local-fly enforces it)
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(POLL)
                .until(() -> check(app, id).path("output").asString().matches(".*: 200 Output: ([3-9]|\\d\\d+)"));
        JsonNode passing = check(app, id);
        assertThat(passing.path("name").asString()).isEqualTo("count");
        assertThat(passing.path("status").asString()).isEqualTo("passing");
        assertThat(passing.path("output").asString()).startsWith("HTTP GET http://[fdaa:");
        assertThat(Instant.parse(passing.path("updated_at").asString())).isBeforeOrEqualTo(Instant.now());
        JsonNode listed = client.get("/v1/apps/" + app + "/machines").body().get(0);
        assertThat(listed.path("checks").get(0).path("status").asString()).isEqualTo("passing");
        assertThat(client.get("/v1/apps/" + app + "/machines?summary=true")
                        .body()
                        .get(0)
                        .has("checks"))
                .isFalse();

        client.post("/v1/apps/" + app + "/machines/" + id + "/stop", null);
        assertThat(client.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=stopped&timeout=30")
                        .status())
                .isEqualTo(200);
        JsonNode atStop = check(app, id);

        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .pollInterval(POLL)
                .until(() -> {
                    JsonNode machine =
                            client.get("/v1/apps/" + app + "/machines/" + id).body();
                    return "stopped".equals(machine.path("state").asString())
                            && machine.path("checks").get(0).equals(atStop);
                });
    }
}
