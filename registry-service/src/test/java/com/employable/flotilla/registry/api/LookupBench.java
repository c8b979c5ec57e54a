package com.employable.flotilla.registry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.testsupport.FlotillaTestProperties;
import com.employable.flotilla.registry.RegistryApplication;
import com.employable.flotilla.registry.discovery.ServerDirectory;
import com.employable.flotilla.registry.discovery.ServerEvents;
import com.employable.flotilla.registry.support.Publish;
import com.employable.flotilla.registry.support.RegistryIntegrationTest;
import com.employable.flotilla.registry.support.TeamFront;
import com.employable.flotilla.registry.support.TestTokens;
import com.employable.flotilla.registry.support.Wrk;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * A registry lookup, measured against Debian's nginx serving the same JSON from a file on loopback (not a test: its
 * name keeps it out of every suite; run it with {@code registry-service/bench/lookup-vs-nginx.sh}). The registry
 * answers {@code GET /v1/teams/{team}/server} with token verification (cached) and the team check on every request,
 * from its in-memory view; nginx sends the bytes the registry answered once. Both are driven by the same wrk script
 * at each connection count, one after the other in one run. The report goes to {@code target/bench/lookup.md}.
 */
@SpringBootTest(
        classes = RegistryApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "flotilla.registry.auth.hs256-secret=" + TestTokens.SECRET,
            "flotilla.registry.auth.issuer=" + TestTokens.ISSUER,
            "flotilla.registry.auth.audience=" + TestTokens.AUDIENCE,
            "flotilla.registry.gateway.key=" + RegistryIntegrationTest.GATEWAY_KEY,
            "logging.level.root=WARN"
        })
class LookupBench {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TEAM = "lookup-bench";
    private static final Path WORK = Path.of("target", "bench");
    private static Process nginx;

    @LocalServerPort
    int registryPort;

    @Autowired
    ServerDirectory directory;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        FlotillaTestProperties.register(registry, "registry_lookup_bench");
        // the derivation ServerEvents states endpoints with (nothing is proxied in this bench)
        registry.add("flotilla.teams.endpoint-url-template", TeamFront::endpointUrlTemplate);
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) {
            nginx.destroy();
        }
    }

    @Test
    void aLookupAgainstNginxServingTheSameJson() throws Exception {
        var events = new ServerEvents(TEAM);
        // published again until seen: on a fresh broker the consumer may subscribe before the topic exists
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(3))
                .until(() -> {
                    Publish.events(events.provisioned(1, 1, "m1"), events.health("m1", HealthStatus.HEALTHY, 2));
                    return directory
                            .find(TEAM)
                            .map(server -> "READY".equals(server.view().status().name()))
                            .orElse(false);
                });
        String token = TestTokens.forTeam(TEAM);
        String path = "/v1/teams/" + TEAM + "/server";
        String registryUrl = "http://127.0.0.1:" + registryPort + path;
        var answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(registryUrl))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        String nginxUrl = "http://127.0.0.1:" + startNginx(path, answer.body()) + path;

        int seconds = Integer.getInteger("flotilla.bench.seconds", 10);
        List<Integer> connectionCounts = Arrays.stream(
                        System.getProperty("flotilla.bench.connections", "1,8").split(","))
                .map(String::strip)
                .map(Integer::valueOf)
                .toList();
        var report = new StringBuilder()
                .append("GET ")
                .append(path)
                .append(" (")
                .append(answer.body().length)
                .append(" bytes of JSON), wrk -t1 -d")
                .append(seconds)
                .append("s after a " + Wrk.WARM_UP_SECONDS + " s warm-up, ")
                .append(Instant.now())
                .append("\n\n| server | connections | p50 | p99 | throughput | throughput vs nginx |")
                .append(" CPU per request | non-2xx / socket errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        List<Wrk.Result> results = new ArrayList<>();
        for (int connections : connectionCounts) {
            Map<String, String> env = Map.of("BENCH_TOKEN", token);
            Wrk.Result baseline = Wrk.measure(
                    nginxUrl,
                    "lookup.lua",
                    connections,
                    seconds,
                    env,
                    () -> Wrk.cpuNanos(Wrk.withDescendants(nginx.toHandle())));
            // the registry's whole JVM (the test's Kafka broker idles in it too), not its children (nginx, wrk)
            Wrk.Result registry = Wrk.measure(
                    registryUrl,
                    "lookup.lua",
                    connections,
                    seconds,
                    env,
                    () -> Wrk.cpuNanos(Stream.of(ProcessHandle.current())));
            results.add(baseline);
            results.add(registry);
            row(report, "nginx " + nginxVersion() + " (static file)", connections, baseline, baseline);
            row(report, "registry-service (in-memory view)", connections, registry, baseline);
        }
        Files.writeString(WORK.resolve("lookup.md"), report);
        System.out.println("\n" + report);
        assertThat(results)
                .allSatisfy(result -> assertThat(result.mostlySucceeded())
                        .as("failed requests")
                        .isTrue());
    }

    private static void row(StringBuilder report, String server, int connections, Wrk.Result r, Wrk.Result nginx) {
        report.append("| %s | %d | %.2f ms | %.2f ms | %,.0f req/s | %.2f× | %.0f µs | %d / %d |\n"
                .formatted(
                        server,
                        connections,
                        r.p50Ms(),
                        r.p99Ms(),
                        r.rps(),
                        r.rps() / nginx.rps(),
                        r.cpuMicrosPerRequest(),
                        r.non2xx(),
                        r.errors()));
    }

    /** nginx in the foreground, its own configuration and files under target/bench/nginx; the same bytes, as JSON. */
    private static int startNginx(String path, byte[] json) throws Exception {
        Path dir = WORK.resolve("nginx").toAbsolutePath();
        FileSystemUtils.deleteRecursively(dir);
        Path file = dir.resolve("html" + path);
        Files.createDirectories(file.getParent());
        Files.createDirectories(dir.resolve("tmp"));
        Files.write(file, json);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.writeString(dir.resolve("nginx.conf"), """
                %s
                worker_processes auto;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_body_temp_path %s/tmp;
                    proxy_temp_path %s/tmp;
                    fastcgi_temp_path %s/tmp;
                    uwsgi_temp_path %s/tmp;
                    scgi_temp_path %s/tmp;
                    server {
                        listen 127.0.0.1:%d;
                        root %s/html;
                        location / { default_type application/json; }
                    }
                }
                """.formatted(
                        root ? "user root;" : "", dir, dir, dir, dir, dir, dir, dir, port, dir));
        nginx = new ProcessBuilder(
                        "nginx",
                        "-p",
                        dir.toString(),
                        "-c",
                        dir.resolve("nginx.conf").toString(),
                        "-g",
                        "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile())
                .start();
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> HTTP.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
        return port;
    }

    private static String nginxVersion() throws IOException, InterruptedException {
        Process version =
                new ProcessBuilder("nginx", "-v").redirectErrorStream(true).start();
        String out = new String(version.getInputStream().readAllBytes()).strip();
        version.waitFor();
        return out.replace("nginx version: nginx/", "");
    }
}
