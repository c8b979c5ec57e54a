package com.employable.flotilla.localfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Suspend in the process runtime freezes the machine's process: a resume continues the same process with its memory,
 * and a stop or destroy of a suspended machine leaves no process behind, frozen or otherwise.
 */
class ProcessSuspendTest {

    private static final int RESUMES_MEASURED = 10;

    @TempDir
    static Path dataDir;

    private static LocalFly fly;
    private static FlyClient client;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = java + " -cp " + System.getProperty("java.class.path") + " " + EchoServerMain.class.getName();
        fly = LocalFly.start(LocalFlyConfig.simulated(dataDir)
                .withRuntime("process", Optional.empty(), "registry.fly.io/echo=" + command));
        // many suspend-resume cycles of one machine: Fly's 1 action/s per machine is not what is tested here
        fly.rateLimits().enabled(false);
        client = new FlyClient(fly.apiUrl(), fly.token());
    }

    @AfterAll
    static void stop() {
        fly.close();
    }

    @Test
    void aResumedMachineIsTheSameProcessWithItsMemoryAndAStopAfterASuspendEndsIt() throws Exception {
        String app = app("keep");
        String id = startedMachine(app);
        long pid = Long.parseLong(proxied(app, "/pid"));
        assertThat(proxied(app, "/count")).isEqualTo("1");

        action(app, id, "suspend");
        awaitState(app, id, "suspended");
        assertThat(processState(pid))
                .as("a suspended machine's process is frozen")
                .isEqualTo('T');

        action(app, id, "start");
        awaitState(app, id, "started");
        assertThat(proxied(app, "/pid")).isEqualTo(Long.toString(pid));
        assertThat(proxied(app, "/count")).as("the memory survived the suspend").isEqualTo("2");
        assertThat(processState(pid)).isNotEqualTo('T');

        action(app, id, "suspend");
        awaitState(app, id, "suspended");
        action(app, id, "stop");
        awaitState(app, id, "stopped");
        awaitGone(pid);

        // the next start is a cold boot: a new process with fresh memory
        action(app, id, "start");
        awaitState(app, id, "started");
        assertThat(proxied(app, "/pid")).isNotEqualTo(Long.toString(pid));
        assertThat(proxied(app, "/count")).isEqualTo("1");
    }

    @Test
    void destroyingASuspendedMachineLeavesNoProcessBehind() throws Exception {
        String app = app("gone");
        String id = startedMachine(app);
        long pid = Long.parseLong(proxied(app, "/pid"));

        action(app, id, "suspend");
        awaitState(app, id, "suspended");
        assertThat(client.delete("/v1/apps/" + app + "/machines/" + id).status())
                .isEqualTo(200);

        awaitGone(pid);
        assertThat(client.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=destroyed&timeout=10")
                        .status())
                .isEqualTo(200);
    }

    /** Resumes through the API and through the proxy's autostart; the times go to the README, not into asserts. */
    @Test
    void resumesKeepTheProcessWhetherAskedForOrWokenByARequest() throws Exception {
        String app = app("wake");
        String id = startedMachine(app);
        String pid = proxied(app, "/pid");
        List<Long> apiMillis = new ArrayList<>();
        List<Long> proxyMillis = new ArrayList<>();
        List<Long> awakeMillis = new ArrayList<>();

        for (int i = 0; i < RESUMES_MEASURED; i++) {
            action(app, id, "suspend");
            awaitState(app, id, "suspended");
            long began = System.nanoTime();
            action(app, id, "start");
            awaitState(app, id, "started");
            apiMillis.add((System.nanoTime() - began) / 1_000_000);

            action(app, id, "suspend");
            awaitState(app, id, "suspended");
            began = System.nanoTime();
            String woken = proxied(app, "/pid");
            proxyMillis.add((System.nanoTime() - began) / 1_000_000);
            assertThat(woken).isEqualTo(pid);
            began = System.nanoTime();
            proxied(app, "/pid");
            awakeMillis.add((System.nanoTime() - began) / 1_000_000);
        }

        assertThat(proxied(app, "/count")).isEqualTo("1");
        System.out.printf(
                "process runtime resume, ms: start+wait via the API %s; first proxied request %s; "
                        + "a proxied request to the awake machine %s%n",
                apiMillis, proxyMillis, awakeMillis);
    }

    private static String app(String prefix) {
        String app = prefix + "-" + System.nanoTime() % 100000;
        client.post("/v1/apps", "{\"app_name\":\"" + app + "\",\"org_slug\":\"personal\",\"network\":\"" + app + "\"}");
        return app;
    }

    private static String startedMachine(String app) {
        String id = client.post(
                        "/v1/apps/" + app + "/machines",
                        "{\"region\":\"iad\",\"config\":{\"image\":\"registry.fly.io/echo:1\","
                                + "\"services\":[{\"protocol\":\"tcp\",\"internal_port\":8080,"
                                + "\"autostart\":true,\"autostop\":\"suspend\"}]}}")
                .body()
                .path("id")
                .asString();
        awaitState(app, id, "started");
        return id;
    }

    private static void action(String app, String id, String action) {
        FlyClient.Reply reply = client.post("/v1/apps/" + app + "/machines/" + id + "/" + action, null);
        assertThat(reply.status()).as(action + ": " + reply.body()).isEqualTo(200);
    }

    private static void awaitState(String app, String id, String state) {
        FlyClient.Reply reply =
                client.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=" + state + "&timeout=60");
        assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(200);
    }

    private static String proxied(String app, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(fly.proxyUrl() + "/" + app + path))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static void awaitGone(long pid) {
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                        .as("process " + pid + " is gone")
                        .isNotEqualTo(Optional.of(true)));
    }

    /** The state letter in {@code /proc/<pid>/stat}: {@code T} for a stopped (frozen) process. */
    private static char processState(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
    }
}
