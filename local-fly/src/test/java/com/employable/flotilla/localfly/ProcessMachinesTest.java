package com.employable.flotilla.localfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.localfly.FlyClient.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Machines as real processes behind the Fly-Proxy emulation. */
class ProcessMachinesTest {

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
        client = new FlyClient(fly.apiUrl(), fly.token());
    }

    @AfterAll
    static void stop() {
        fly.close();
    }

    private static String proxied(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(fly.proxyUrl() + path))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("fly-machine-id")).isPresent();
        return response.body();
    }

    @Test
    void aMachineIsAProcessWithItsEnvAndSecretsReachableThroughTheProxyAndWokenByIt() throws Exception {
        String app = "echo-" + System.nanoTime() % 100000;
        client.post("/v1/apps", "{\"app_name\":\"" + app + "\",\"org_slug\":\"personal\",\"network\":\"" + app + "\"}");
        client.post("/v1/apps/" + app + "/secrets", "{\"values\":{\"GREETING\":\"hello\"}}");
        Reply created = client.post(
                "/v1/apps/" + app + "/machines",
                "{\"region\":\"iad\",\"config\":{"
                        + "\"image\":\"registry.fly.io/echo:1\",\"restart\":{\"policy\":\"no\"},"
                        + "\"services\":[{\"protocol\":\"tcp\",\"internal_port\":8080,\"autostart\":true,"
                        + "\"autostop\":\"stop\"}]}}");
        String id = created.body().path("id").asString();
        assertThat(client.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=started&timeout=60")
                        .status())
                .isEqualTo(200);

        assertThat(proxied("/" + app + "/hello"))
                .isEqualTo("machine=" + id + " app=" + app + " secret=hello path=/hello");
        assertThat(Files.readString(dataDir.resolve("machines").resolve(id).resolve("log")))
                .contains("echo listening on");

        // stopped: the process is gone, and the next request wakes the machine (autostart)
        client.post("/v1/apps/" + app + "/machines/" + id + "/stop", null);
        assertThat(client.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=stopped&timeout=30")
                        .status())
                .isEqualTo(200);
        assertThat(proxied("/" + app + "/again")).contains("path=/again");
        assertThat(client.get("/v1/apps/" + app + "/machines/" + id)
                        .body()
                        .path("state")
                        .asString())
                .isEqualTo("started");

        // a process that dies on its own, with restart policy "no", leaves the machine failed
        HTTP.send(
                HttpRequest.newBuilder(URI.create(fly.proxyUrl() + "/" + app + "/exit"))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(client.get("/v1/apps/" + app + "/machines/" + id)
                                .body()
                                .path("state")
                                .asString())
                        .isEqualTo("failed"));

        // the proxy answers in JSON when nothing can serve: 503 for an app without machines, 404 for no app
        String empty = app + "-empty";
        client.post("/v1/apps", "{\"app_name\":\"" + empty + "\",\"org_slug\":\"personal\"}");
        HttpResponse<String> nothing = HTTP.send(
                HttpRequest.newBuilder(URI.create(fly.proxyUrl() + "/" + empty + "/x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(nothing.statusCode()).isEqualTo(503);
        assertThat(nothing.body()).contains("\"error\"");
        assertThat(HTTP.send(
                                HttpRequest.newBuilder(URI.create(fly.proxyUrl() + "/missing-app/x"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void execRunsACommandInTheMachineWithItsEnvironmentAndAnswers200WhateverItsExitCode() throws Exception {
        // four execs on one machine within a second: Fly's per-machine limit (bursts of 3) is not what is tested here
        fly.rateLimits().enabled(false);
        String app = "exec-" + System.nanoTime() % 100000;
        client.post("/v1/apps", "{\"app_name\":\"" + app + "\",\"org_slug\":\"personal\",\"network\":\"" + app + "\"}");
        client.post("/v1/apps/" + app + "/secrets", "{\"values\":{\"GREETING\":\"hello\"}}");
        String id = client.post(
                        "/v1/apps/" + app + "/machines",
                        "{\"region\":\"iad\",\"config\":{\"image\":\"registry.fly.io/echo:1\"}}")
                .body()
                .path("id")
                .asString();
        client.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=started&timeout=60");
        String exec = "/v1/apps/" + app + "/machines/" + id + "/exec";

        Reply failed = client.post(exec, "{\"command\":[\"sh\",\"-c\",\"echo $FLY_MACHINE_ID $GREETING; exit 3\"]}");
        assertThat(failed.status()).isEqualTo(200);
        assertThat(failed.body().path("exit_code").asInt()).isEqualTo(3);
        assertThat(failed.body().path("stdout").asString()).isEqualTo(id + " hello\n");

        // the machine's own server on its own port, as a check from inside the machine reaches it
        Reply check = client.post(
                exec,
                "{\"command\":[\"bash\",\"-c\",\"exec 3<>/dev/tcp/127.0.0.1/$PORT && printf 'GET /healthz"
                        + " HTTP/1.0\\\\r\\\\n\\\\r\\\\n' >&3 && head -n 1 <&3 | grep -q ' 200'\"],\"timeout\":10}");
        assertThat(check.body().path("exit_code").asInt())
                .as(check.body().toString())
                .isZero();

        assertThat(client.post(exec, "{\"command\":[]}").status()).isEqualTo(400);
        client.post("/v1/apps/" + app + "/machines/" + id + "/stop", null);
        client.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=stopped&timeout=30");
        assertThat(client.post(exec, "{\"command\":[\"true\"]}").status())
                .as("only a started machine runs commands")
                .isEqualTo(412);
        fly.rateLimits().enabled(true);
    }

    @Test
    void execFeedsStdinAndMetadataChangesInPlaceWithoutARestart() throws Exception {
        fly.rateLimits().enabled(false);
        String app = "stdin-" + System.nanoTime() % 100000;
        client.post("/v1/apps", "{\"app_name\":\"" + app + "\",\"org_slug\":\"personal\",\"network\":\"" + app + "\"}");
        String machine = "/v1/apps/" + app + "/machines/"
                + client.post(
                                "/v1/apps/" + app + "/machines",
                                "{\"region\":\"iad\",\"config\":{\"image\":\"registry.fly.io/echo:1\"}}")
                        .body()
                        .path("id")
                        .asString();
        client.get(machine + "/wait?state=started&timeout=60");
        String version = client.get(machine).body().path("instance_id").asString();

        Reply written = client.post(
                machine + "/exec",
                "{\"command\":[\"sh\",\"-c\",\"cat > identity && wc -c < identity\"],\"stdin\":\"TEAM=t1\\n\"}");
        assertThat(written.body().path("exit_code").asInt()).isZero();
        assertThat(written.body().path("stdout").asString().trim()).isEqualTo("8");
        assertThat(client.post(machine + "/exec", "{\"command\":[\"cat\",\"identity\"]}")
                        .body()
                        .path("stdout")
                        .asString())
                .as("the file is the machine's own: the next exec there sees it")
                .isEqualTo("TEAM=t1\n");
        assertThat(client.post(machine + "/exec", "{\"command\":[\"cat\"]}")
                        .body()
                        .path("stdout")
                        .asString())
                .as("no stdin: the command reads end of file at once")
                .isEmpty();

        assertThat(client.post(machine + "/metadata/flotilla_team", "{\"value\":\"t1\"}")
                        .status())
                .isEqualTo(204);
        assertThat(client.post(machine + "/metadata/flotilla_team", "{}").status())
                .isEqualTo(400);
        assertThat(client.get(machine + "/metadata")
                        .body()
                        .path("flotilla_team")
                        .asString())
                .isEqualTo("t1");
        assertThat(client.get("/v1/apps/" + app + "/machines?metadata.flotilla_team=t1")
                        .body()
                        .size())
                .isEqualTo(1);
        Reply after = client.get(machine);
        assertThat(after.body().path("state").asString()).isEqualTo("started");
        assertThat(after.body().path("instance_id").asString())
                .as("a metadata change is no new version")
                .isEqualTo(version);

        assertThat(identityAfter(machine, "suspend", "suspended"))
                .as("a resume keeps the machine's files")
                .isZero();
        assertThat(identityAfter(machine, "stop", "stopped"))
                .as("a boot from stopped starts from a clean root filesystem, as on Fly")
                .isNotZero();
        fly.rateLimits().enabled(true);
    }

    /** Halts the machine ({@code suspend} or {@code stop}), starts it again, and reads its identity file. */
    private int identityAfter(String machine, String halt, String halted) throws Exception {
        client.post(machine + "/" + halt, null);
        client.get(machine + "/wait?state=" + halted + "&timeout=30");
        client.post(machine + "/start", null);
        client.get(machine + "/wait?state=started&timeout=60");
        return client.post(machine + "/exec", "{\"command\":[\"cat\",\"identity\"]}")
                .body()
                .path("exit_code")
                .asInt();
    }
}
