package com.employable.flotilla.devstack.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * local-fly as devstack runs it: its own process from its jar, machines as real local processes (a tiny echo server
 * here), so stop, suspend, start and the proxy's autostart are the real ones. A missing jar skips the test, or fails
 * it with {@code -Dflotilla.require-tools=true} (CI).
 */
final class LocalFlyProcess implements AutoCloseable {

    static final String TOKEN = "devstack-test-token";
    static final String IMAGE = "registry.fly.io/devstack-test-echo:1";

    private final Process process;
    private final int api;
    private final int proxy;
    private final HttpClient http = HttpClient.newHttpClient();

    private LocalFlyProcess(Process process, int api, int proxy) {
        this.process = process;
        this.api = api;
        this.proxy = proxy;
    }

    static LocalFlyProcess start() throws IOException {
        Path jar = Path.of(System.getProperty("flotilla.local-fly.jar", "../local-fly/target/local-fly.jar"));
        if (!Files.exists(jar)) {
            String why = "local-fly is not built (" + jar + "): ./mvnw -pl local-fly package";
            if (Boolean.getBoolean("flotilla.require-tools")) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        int api = freePort();
        int proxy = freePort();
        Path dir = Files.createDirectories(Path.of("target", "local-fly-" + api));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String echo =
                java + " -cp " + Path.of("target", "test-classes").toAbsolutePath() + " " + EchoServer.class.getName();
        var builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("local-fly.log").toFile());
        builder.environment()
                .putAll(Map.of(
                        "PORT",
                        Integer.toString(api),
                        "LOCAL_FLY_PROXY_PORT",
                        Integer.toString(proxy),
                        "LOCAL_FLY_TOKEN",
                        TOKEN,
                        "LOCAL_FLY_RUNTIME",
                        "process",
                        "LOCAL_FLY_DATA_DIR",
                        dir.toAbsolutePath().toString(),
                        "LOCAL_FLY_IMAGE_MAP",
                        "registry.fly.io/devstack-test-echo=" + echo));
        var local = new LocalFlyProcess(builder.start(), api, proxy);
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> local.send("GET", "/healthz", null).statusCode() == 200);
        return local;
    }

    String apiUrl() {
        return "http://127.0.0.1:" + api;
    }

    String proxyUrl() {
        return "http://127.0.0.1:" + proxy;
    }

    /** An app with one started machine whose service lets the proxy start it; returns the machine id. */
    String appWithMachine(String app) throws Exception {
        assertThat(send("POST", "/v1/apps", "{\"app_name\":\"" + app + "\",\"org_slug\":\"personal\"}")
                        .statusCode())
                .isEqualTo(201);
        HttpResponse<String> created = send(
                "POST",
                "/v1/apps/" + app + "/machines",
                "{\"region\":\"fra\",\"config\":{\"image\":\"" + IMAGE + "\",\"services\":[{\"protocol\":\"tcp\","
                        + "\"internal_port\":8080,\"autostart\":true,\"autostop\":\"off\"}]}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String id = created.body().replaceAll("(?s).*?\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        assertThat(send("GET", "/v1/apps/" + app + "/machines/" + id + "/wait?state=started&timeout=60", null)
                        .statusCode())
                .isEqualTo(200);
        return id;
    }

    void deleteApp(String app) throws InterruptedException {
        try {
            send("DELETE", "/v1/apps/" + app + "?force=true", null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** local-fly's admin API: answer {@code status} to the next {@code times} requests matching the path. */
    void fault(String method, String pathRegex, int status, int times) throws Exception {
        HttpResponse<String> answer = send(
                "POST",
                "/_admin/faults",
                "{\"method\":\"" + method + "\",\"path\":\"" + pathRegex + "\",\"kind\":\"status\",\"status\":" + status
                        + ",\"times\":" + times + "}");
        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 299);
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(apiUrl() + path))
                        .timeout(Duration.ofSeconds(70))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        process.destroy();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
