package com.employable.flotilla.e2e.support;

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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Runs the platform's packaged jars as separate processes, the way devstack and production do. */
public final class ServiceProcesses {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ServiceProcesses() {}

    /** The repository root (tests run in the e2e module's directory). */
    public static Path root() {
        return Path.of("..").toAbsolutePath().normalize();
    }

    /** A service's fat jar, built by the reactor before e2e runs. */
    public static Path jar(String service) {
        return root().resolve(service + "/target/" + service + ".jar");
    }

    /**
     * Starts {@code java [jvmArgs] -jar jar} with {@code env}, output to {@code target/e2e-logs/<logName>.log}, and
     * waits until {@code http://127.0.0.1:<port><readyPath>} answers 200.
     */
    public static Process start(
            String logName, Path jar, List<String> jvmArgs, Map<String, String> env, int port, String readyPath)
            throws IOException {
        assertThat(jar).as("build " + jar.getFileName() + " first").exists();
        Path log = Files.createDirectories(Path.of("target", "e2e-logs")).resolve(logName + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    assertThat(process.isAlive())
                            .as("%s exited; see %s", logName, log)
                            .isTrue();
                    try {
                        return HTTP.send(
                                                HttpRequest.newBuilder(
                                                                URI.create("http://127.0.0.1:" + port + readyPath))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
        return process;
    }

    /** The operator token every service started here accepts on its internal API. */
    public static final String OPERATOR_TOKEN =
            "e2e-operator-token-" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(24));

    /** A Flotilla service started by {@link #startService}: its API port and its management (actuator) port. */
    public record Service(Process process, int port, int managementPort) {}

    /**
     * Starts a Flotilla service on free ports, its API on {@code PORT} and actuator on {@code FLOTILLA_MANAGEMENT_PORT},
     * with the operator token, and waits until its readiness probe on the management port answers 200.
     */
    public static Service startService(String logName, Path jar, List<String> jvmArgs, Map<String, String> env)
            throws IOException {
        int port = freePort();
        int managementPort = freePort();
        var withPorts = new java.util.LinkedHashMap<>(env);
        withPorts.put("PORT", Integer.toString(port));
        withPorts.put("FLOTILLA_MANAGEMENT_PORT", Integer.toString(managementPort));
        withPorts.putIfAbsent("FLOTILLA_OPERATOR_TOKEN", OPERATOR_TOKEN);
        Process process = start(logName, jar, jvmArgs, withPorts, managementPort, "/actuator/health/readiness");
        return new Service(process, port, managementPort);
    }

    /** A local-fly started by {@link #startLocalFly}: its Machines API and its proxy (Fly's edge stand-in). */
    public record LocalFly(Process process, int apiPort, int proxyPort, String token) {

        public String apiUrl() {
            return "http://127.0.0.1:" + apiPort;
        }

        /** Team URLs through the proxy, as {@code FLOTILLA_ENDPOINT_URL_TEMPLATE} wants them. */
        public String endpointTemplate() {
            return "http://127.0.0.1:" + proxyPort + "/{app}/mcp";
        }

        /** One machine over local-fly's private-network stand-in, as {@code FLOTILLA_MACHINE_URL_TEMPLATE} wants it. */
        public String machineTemplate() {
            return "http://127.0.0.1:" + proxyPort + "/_6pn/{app}/{machine}/mcp";
        }
    }

    /**
     * Starts local-fly on free ports. {@code runtime} {@code process} runs each machine's team server as a real
     * process (data under {@code target/<logName>}); {@code simulated} only moves machine states.
     */
    public static LocalFly startLocalFly(String logName, String runtime, String token) throws IOException {
        return startLocalFly(logName, runtime, token, Map.of());
    }

    /** As {@link #startLocalFly(String, String, String)}, with more of local-fly's environment (autostop, faults). */
    public static LocalFly startLocalFly(String logName, String runtime, String token, Map<String, String> more)
            throws IOException {
        int apiPort = freePort();
        int proxyPort = freePort();
        var env = new java.util.LinkedHashMap<String, String>();
        env.put("PORT", Integer.toString(apiPort));
        env.put("LOCAL_FLY_PROXY_PORT", Integer.toString(proxyPort));
        env.put("LOCAL_FLY_TOKEN", token);
        env.put("LOCAL_FLY_RUNTIME", runtime);
        if (runtime.equals("process")) {
            env.put(
                    "LOCAL_FLY_DATA_DIR",
                    Path.of("target", logName).toAbsolutePath().toString());
            env.put("LOCAL_FLY_TEAM_SERVER_JAR", jar("team-mcp-server").toString());
        }
        env.putAll(more);
        Process process = start(logName, jar("local-fly"), List.of(), env, apiPort, "/healthz");
        return new LocalFly(process, apiPort, proxyPort, token);
    }

    /** JVM options attaching the OpenTelemetry agent, exporting traces only, quickly, to {@code otlpEndpoint}. */
    public static List<String> tracingAgent(String serviceName, String otlpEndpoint) {
        return List.of(
                "-javaagent:"
                        + Path.of("target", "agent", "opentelemetry-javaagent.jar")
                                .toAbsolutePath(),
                "-Dotel.service.name=" + serviceName,
                "-Dotel.exporter.otlp.protocol=http/protobuf",
                "-Dotel.exporter.otlp.endpoint=" + otlpEndpoint,
                "-Dotel.metrics.exporter=none",
                "-Dotel.logs.exporter=none",
                "-Dotel.bsp.schedule.delay=200");
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A random 256-bit platform key, base64 as the services read it. */
    public static String randomKey() {
        return Base64.getEncoder().encodeToString(randomBytes(32));
    }

    public static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
