package com.employable.flotilla.health.support;

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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * local-fly as its own process (from its jar, through its documented environment), with machines that are real
 * processes: the team server's jar for its image, {@link CheckedServerMain} for {@code registry.fly.io/checked}. The
 * test talks to it as an operator talks to Fly: over the Machines API. Launched, never linked: this module does not
 * depend on local-fly.
 */
public final class LocalFlyProcess implements AutoCloseable {

    public static final String JAR_PROPERTY = "flotilla.local-fly.jar";

    public static final String TOKEN = "health-fly-checks-token";

    public static final String CHECKED_IMAGE = "registry.fly.io/checked:1";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;

    private final int port;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalFlyProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** local-fly's jar, or a skipped test when it is not built (a failed one with -Dflotilla.require-tools=true). */
    public static Path jar() {
        Path jar = Path.of(System.getProperty(JAR_PROPERTY, "../local-fly/target/local-fly.jar"));
        if (!Files.isRegularFile(jar)) {
            String message =
                    "local-fly jar not found at " + jar.toAbsolutePath().normalize()
                            + ": build it (mvn -pl local-fly package -DskipTests) or set -D" + JAR_PROPERTY;
            if (Boolean.getBoolean(TeamServerProcess.REQUIRE_PROPERTY)) {
                throw new AssertionError(
                        message + " (required because -D" + TeamServerProcess.REQUIRE_PROPERTY + "=true)");
            }
            Assumptions.abort(message);
        }
        return jar;
    }

    public static LocalFlyProcess start(Path jar, Path teamServerJar) throws IOException {
        int api = freePort();
        Path dir = Files.createDirectories(Path.of("target", "local-fly-" + api));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String checked = java + " -cp " + Path.of("target", "test-classes").toAbsolutePath() + " "
                + CheckedServerMain.class.getName();
        var builder = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        jar.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("local-fly.log").toFile());
        builder.environment()
                .putAll(Map.of(
                        "PORT", Integer.toString(api),
                        "LOCAL_FLY_PROXY_PORT", Integer.toString(freePort()),
                        "LOCAL_FLY_TOKEN", TOKEN,
                        "LOCAL_FLY_RUNTIME", "process",
                        "LOCAL_FLY_DATA_DIR", dir.toAbsolutePath().toString(),
                        "LOCAL_FLY_TEAM_SERVER_JAR",
                                teamServerJar.toAbsolutePath().toString(),
                        "LOCAL_FLY_IMAGE_MAP", "registry.fly.io/checked=" + checked));
        var fly = new LocalFlyProcess(builder.start(), api);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    if (!fly.process.isAlive()) {
                        throw new AssertionError("local-fly exited; see " + dir.resolve("local-fly.log"));
                    }
                    return fly.http
                                    .send(
                                            HttpRequest.newBuilder(URI.create(fly.apiUrl() + "/healthz"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                });
        return fly;
    }

    public URI apiUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A call to the Machines API with local-fly's token; the answer's JSON (null when empty). */
    public JsonNode call(String method, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl() + path))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(70))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(
                        method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body().isEmpty() ? null : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonNode machine(String app, String id) {
        return call("GET", "/v1/apps/" + app + "/machines/" + id, null);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
