package com.employable.flotilla.registry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.auth.TeamCredentials;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.server.Endpoint;
import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.common.testsupport.FlotillaTestProperties;
import com.employable.flotilla.registry.RegistryApplication;
import com.employable.flotilla.registry.discovery.ServerDirectory;
import com.employable.flotilla.registry.discovery.ServerEvents;
import com.employable.flotilla.registry.support.NginxProxy;
import com.employable.flotilla.registry.support.Publish;
import com.employable.flotilla.registry.support.RegistryIntegrationTest;
import com.employable.flotilla.registry.support.TestTokens;
import com.employable.flotilla.registry.support.Wrk;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
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
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The agent's request path, measured (not a test: its name keeps it out of every suite; run it with
 * {@code registry-service/bench/request-path.sh}). One team server runs as a local-fly machine (local-fly's jar, process
 * runtime, team-mcp-server's jar); wrk sends the same MCP {@code ping}, each path in an open session of its own, to
 * the team server directly, through nginx as a plain reverse proxy (the cost of one hop of a very fast proxy, for
 * scale), through local-fly's proxy, and through this gateway and the proxy, one after the other in one run. The report
 * goes to {@code target/bench/request-path.md}.
 */
@SpringBootTest(
        classes = RegistryApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "flotilla.registry.auth.hs256-secret=" + TestTokens.SECRET,
            "flotilla.registry.auth.issuer=" + TestTokens.ISSUER,
            "flotilla.registry.auth.audience=" + TestTokens.AUDIENCE,
            "flotilla.registry.gateway.key=" + RegistryIntegrationTest.GATEWAY_KEY,
            "flotilla.registry.gateway.max-requests-per-team=256",
            "logging.level.root=WARN"
        })
class RequestPathBench {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TEAM = "bench";
    private static final String APP = "flotilla-team-" + TEAM;
    private static final String FLY_TOKEN = "local-fly-bench-token";
    private static final Path WORK = Path.of("target", "bench");

    private static int apiPort;
    private static int proxyPort;
    private static Process localFly;
    private static NginxProxy nginx;
    private static String machineId;
    private static int teamServerPort;

    @LocalServerPort
    int gatewayPort;

    @Autowired
    ServerDirectory directory;

    /** The context's derivation: the registry trusts an event's app and endpoint only where they match it. */
    @Autowired
    TeamAddresses addresses;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        FlotillaTestProperties.register(registry, "registry_bench");
        registry.add("flotilla.teams.endpoint-url-template", () -> "http://127.0.0.1:" + proxyPort + "/{app}/mcp");
    }

    @BeforeAll
    static void startLocalFlyWithATeamServer() throws Exception {
        Path localFlyJar = jar("flotilla.local-fly.jar", "../local-fly/target/local-fly.jar");
        Path teamServerJar = jar("flotilla.team-server.jar", "../team-mcp-server/target/team-mcp-server.jar");
        apiPort = freePort();
        proxyPort = freePort();
        Path dir = WORK.resolve("local-fly");
        // a previous run's machines would be started again by local-fly on boot
        FileSystemUtils.deleteRecursively(dir);
        Files.createDirectories(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(
                        java, "-jar", localFlyJar.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(WORK.resolve("local-fly.log").toFile());
        builder.environment()
                .putAll(Map.of(
                        "PORT",
                        Integer.toString(apiPort),
                        "LOCAL_FLY_PROXY_PORT",
                        Integer.toString(proxyPort),
                        "LOCAL_FLY_TOKEN",
                        FLY_TOKEN,
                        "LOCAL_FLY_RUNTIME",
                        "process",
                        "LOCAL_FLY_RATE_LIMITS",
                        "false",
                        "LOCAL_FLY_DATA_DIR",
                        dir.toAbsolutePath().toString(),
                        "LOCAL_FLY_IMAGE_MAP",
                        "bench/team-mcp-server=" + java + " -jar " + teamServerJar.toAbsolutePath()));
        localFly = builder.start();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> flyApi("GET", "/healthz", null) == 200);
        assertThat(flyApi("POST", "/v1/apps", "{\"app_name\":\"" + APP + "\",\"org_slug\":\"personal\"}"))
                .isEqualTo(201);
        String env = "{\"FLOTILLA_TEAM_ID\":\"" + TEAM + "\",\"FLOTILLA_TEAM_TOKEN_KEY\":\""
                + TeamCredentials.teamTokenKey(RegistryIntegrationTest.gatewayKey(), TEAM)
                + "\",\"FLOTILLA_RESOURCE_URL\":\"http://127.0.0.1:" + proxyPort + "/" + APP + "/mcp\"}";
        var created = send(
                "POST",
                "http://127.0.0.1:" + apiPort + "/v1/apps/" + APP + "/machines",
                Map.of("Authorization", "Bearer " + FLY_TOKEN),
                "{\"region\":\"fra\",\"config\":{\"image\":\"bench/team-mcp-server:1\",\"env\":" + env
                        + ",\"services\":[{\"internal_port\":8080,\"autostop\":\"off\"}]}}");
        Matcher id = Pattern.compile("\"id\":\"([0-9a-f]+)\"").matcher(created.body());
        assertThat(id.find()).as(created.body()).isTrue();
        machineId = id.group(1);
        Path machineLog = dir.resolve("machines").resolve(machineId).resolve("log");
        Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!Files.exists(machineLog)) {
                        return false;
                    }
                    Matcher port = listening.matcher(Files.readString(machineLog));
                    if (port.find()) {
                        teamServerPort = Integer.parseInt(port.group(1));
                    }
                    return teamServerPort != 0;
                });
    }

    @AfterAll
    static void stopLocalFly() {
        if (localFly != null) {
            localFly.destroy();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void theSamePingDirectThroughTheProxyAndThroughTheGateway() throws Exception {
        var events = new ServerEvents(TEAM);
        var endpoint = new Endpoint(
                addresses.endpointUrl(TEAM), addresses.privateEndpointUrl(TEAM), Endpoint.STREAMABLE_HTTP, null);
        assertThat(addresses.appName(TEAM)).isEqualTo(APP);
        // published again until seen: on a fresh broker the consumer may subscribe before the topic exists
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(3))
                .until(() -> {
                    Publish.events(
                            events.provisioned(1, 1, endpoint, machineId),
                            events.health(machineId, HealthStatus.HEALTHY, 2));
                    return directory
                            .find(TEAM)
                            .map(server -> "READY".equals(server.view().status().name()))
                            .orElse(false);
                });
        int seconds = Integer.getInteger("flotilla.bench.seconds", 10);
        List<Integer> connectionCounts = Arrays.stream(
                        System.getProperty("flotilla.bench.connections", "1,8").split(","))
                .map(String::strip)
                .map(Integer::valueOf)
                .toList();
        String teamToken = teamToken();
        nginx = NginxProxy.start(WORK.resolve("nginx"), teamServerPort, "127.0.0.1:" + teamServerPort);
        var paths = List.of(
                new BenchPath(
                        "direct to the team server",
                        "http://127.0.0.1:" + teamServerPort + "/mcp",
                        teamToken,
                        () -> Wrk.cpuNanos(localFly.toHandle().descendants())),
                new BenchPath(
                        "through nginx " + NginxProxy.version() + " (reference: one hop of a plain reverse proxy)",
                        "http://127.0.0.1:" + nginx.port() + "/mcp",
                        teamToken,
                        () -> Wrk.cpuNanos(Stream.concat(
                                Wrk.withDescendants(nginx.handle()),
                                localFly.toHandle().descendants()))),
                new BenchPath(
                        "through local-fly's proxy",
                        "http://127.0.0.1:" + proxyPort + "/" + APP + "/mcp",
                        teamToken,
                        () -> Wrk.cpuNanos(Wrk.withDescendants(localFly.toHandle()))),
                new BenchPath(
                        "through the gateway and the proxy",
                        "http://127.0.0.1:" + gatewayPort + "/" + TEAM + "/mcp",
                        TestTokens.forTeam(TEAM),
                        // this JVM is the registry (and the test's idle Kafka broker); wrk is its child, not counted
                        () -> Wrk.cpuNanos(Stream.concat(
                                Stream.of(ProcessHandle.current()), Wrk.withDescendants(localFly.toHandle())))));
        var report = new StringBuilder()
                .append("MCP ping in an open session, wrk -t1 -d")
                .append(seconds)
                .append("s after a " + Wrk.WARM_UP_SECONDS + " s warm-up per path, ")
                .append(Instant.now())
                .append("\n\n| path | connections | p50 | p99 | throughput | p50 over direct | p99 over direct |")
                .append(" throughput vs direct | CPU per request (every process on the path) |")
                .append(" non-2xx / socket errors |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        List<Wrk.Result> results = new ArrayList<>();
        for (int connections : connectionCounts) {
            Wrk.Result direct = null;
            for (BenchPath path : paths) {
                String session = initialize(path);
                Wrk.Result result = Wrk.measure(
                        path.url(),
                        "mcp-ping.lua",
                        connections,
                        seconds,
                        Map.of("BENCH_TOKEN", path.token(), "BENCH_SESSION", session),
                        path.cpuNanos());
                results.add(result);
                direct = direct == null ? result : direct;
                report.append(
                        "| %s | %d | %.2f ms | %.2f ms | %,.0f req/s | %+.2f ms | %+.2f ms | %.2f× | %.0f µs | %d / %d |\n"
                                .formatted(
                                        path.name(),
                                        connections,
                                        result.p50Ms(),
                                        result.p99Ms(),
                                        result.rps(),
                                        result.p50Ms() - direct.p50Ms(),
                                        result.p99Ms() - direct.p99Ms(),
                                        result.rps() / direct.rps(),
                                        result.cpuMicrosPerRequest(),
                                        result.non2xx(),
                                        result.errors()));
            }
        }
        Files.writeString(WORK.resolve("request-path.md"), report);
        System.out.println("\n" + report);
        // a rare failed request is reported in the table, not hidden; more than one in a thousand fails the run
        assertThat(results)
                .allSatisfy(result -> assertThat(result.mostlySucceeded())
                        .as("failed requests")
                        .isTrue());
    }

    /** @param cpuNanos the CPU used so far by the processes serving this path (see {@link Wrk#cpuNanos}) */
    record BenchPath(String name, String url, String token, LongSupplier cpuNanos) {}

    private static String initialize(BenchPath path) throws IOException, InterruptedException {
        var answer = send(
                "POST",
                path.url(),
                Map.of(
                        "Authorization", "Bearer " + path.token(),
                        "Content-Type", "application/json",
                        "Accept", "application/json, text/event-stream"),
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                        + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}");
        assertThat(answer.statusCode()).as(path.name() + ": " + answer.body()).isEqualTo(200);
        return answer.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    /** What the gateway would mint for the bench agent: the direct and proxy paths present it themselves. */
    private static String teamToken() throws Exception {
        Instant now = Instant.now();
        var jwt = new SignedJWT(
                new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder()
                        .issuer("flotilla-gateway")
                        .audience("flotilla-team:" + TEAM)
                        .subject("bench")
                        .claim("team_id", TEAM)
                        .issueTime(Date.from(now))
                        .notBeforeTime(Date.from(now))
                        .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
                        .build());
        jwt.sign(new MACSigner(
                TeamCredentials.decode(TeamCredentials.teamTokenKey(RegistryIntegrationTest.gatewayKey(), TEAM))));
        return jwt.serialize();
    }

    private static int flyApi(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, "http://127.0.0.1:" + apiPort + path, Map.of("Authorization", "Bearer " + FLY_TOKEN), body)
                .statusCode();
    }

    private static HttpResponse<String> send(String method, String url, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Path jar(String property, String fallback) {
        Path jar = Path.of(System.getProperty(property, fallback));
        assertThat(jar)
                .as("build it first (see registry-service/bench/request-path.sh)")
                .exists();
        return jar;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
