package com.employable.flotilla.health.support;

import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.auth.TeamCredentials;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The real team MCP server (team-mcp-server's jar) as a process, configured through its environment contract the way
 * the provisioner configures a team's machine. It is launched, never linked: this module does not depend on it.
 */
public final class TeamServerProcess implements AutoCloseable {

    /** Where the jar is; relative to this module by default, as the reactor builds it. */
    public static final String JAR_PROPERTY = "flotilla.team-server.jar";

    public static final String REQUIRE_PROPERTY = "flotilla.require-tools";

    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Path jar;

    private final String teamId;

    private final String probeToken;

    private final String teamTokenKey;

    private final int port;

    private final Path log;

    private Process process;

    private TeamServerProcess(Path jar, String teamId, String probeToken) {
        this.jar = jar;
        this.teamId = teamId;
        this.probeToken = probeToken;
        byte[] gatewayKey = new byte[32];
        new SecureRandom().nextBytes(gatewayKey);
        this.teamTokenKey = TeamCredentials.teamTokenKey(gatewayKey, teamId);
        this.port = freePort();
        this.log = Path.of("target", "team-servers", teamId + ".log");
    }

    /**
     * The jar, or a skipped test when it is not built; with {@code -Dflotilla.require-tools=true} (CI) a missing jar
     * fails the test instead.
     */
    public static Path jar() {
        Path jar = Path.of(System.getProperty(JAR_PROPERTY, "../team-mcp-server/target/team-mcp-server.jar"));
        if (!Files.isRegularFile(jar)) {
            String message =
                    "team-mcp-server jar not found at " + jar.toAbsolutePath().normalize()
                            + ": build it (mvn -pl team-mcp-server package -DskipTests) or set -D" + JAR_PROPERTY;
            if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
                throw new AssertionError(message + " (required because -D" + REQUIRE_PROPERTY + "=true)");
            }
            Assumptions.abort(message);
        }
        return jar;
    }

    /** Starts a team server for {@code teamId} holding {@code probeToken} as its probe token secret. */
    public static TeamServerProcess start(Path jar, String teamId, String probeToken) {
        TeamServerProcess server = new TeamServerProcess(jar, teamId, probeToken);
        server.launch();
        return server;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    public long pid() {
        return process.pid();
    }

    /** Stops the process (SIGTERM, as Fly stops a machine). */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            signal("CONT");
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts it again on the same port. */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** Freezes the process (SIGSTOP): it keeps its listening socket, the kernel still accepts, nothing answers. */
    public void hang() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    @Override
    public void close() {
        stop();
    }

    private void launch() {
        try {
            Files.createDirectories(log.getParent());
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(
                    java,
                    "-Xmx160m",
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    jar.toAbsolutePath().toString());
            Map<String, String> env = builder.environment();
            env.put("FLOTILLA_TEAM_ID", teamId);
            env.put("PORT", String.valueOf(port));
            env.put("FLOTILLA_BIND", "127.0.0.1");
            env.put("FLOTILLA_TEAM_TOKEN_KEY", teamTokenKey);
            env.put("FLOTILLA_PROBE_TOKEN", probeToken);
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            process = builder.start();
        } catch (IOException failure) {
            throw new IllegalStateException("could not start the team server", failure);
        }
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest healthz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                .timeout(Duration.ofSeconds(2))
                .build();
        await().atMost(STARTUP)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(
                                "the team server exited with " + process.exitValue() + "; log:\n" + tail());
                    }
                    return http.send(healthz, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                });
    }

    private void signal(String signal) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
        } catch (IOException failure) {
            throw new IllegalStateException("could not signal the team server", failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException unreadable) {
            return "(no log)";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException failure) {
            throw new IllegalStateException(failure);
        }
    }
}
