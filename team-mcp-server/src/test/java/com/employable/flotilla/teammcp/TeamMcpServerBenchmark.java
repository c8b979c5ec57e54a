package com.employable.flotilla.teammcp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.employable.flotilla.teammcp.support.Tokens;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;

/**
 * Cold-start and memory of the team server as Fly runs it: a fresh JVM from the shaded jar, measured from process
 * launch to the first /healthz answer and to the first tools/list answered through a real MCP client, then resident
 * memory after a burst of tool calls. Not a test: run with
 * {@code mvn -pl team-mcp-server -Pbenchmark verify} and copy the numbers into the README.
 */
public final class TeamMcpServerBenchmark {

    private static final int RUNS = 5;
    private static final int CALLS = 200;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("flotilla.module.dir", ".")).resolve("target/team-mcp-server.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the jar first: " + jar);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        List<long[]> results = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            int port = 19400 + run;
            byte[] key = Tokens.newTeamKey();
            var builder = new ProcessBuilder("java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
                    "-XX:MaxRAM=256m", "-jar", jar.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().putAll(Map.of("FLOTILLA_TEAM_ID", "bench", "PORT", Integer.toString(port),
                    "FLOTILLA_BIND", "127.0.0.1", "FLOTILLA_TEAM_TOKEN_KEY", Tokens.base64Url(key)));
            long launched = System.nanoTime();
            Process process = builder.start();
            try {
                URI health = URI.create("http://127.0.0.1:" + port + "/healthz");
                while (true) {
                    try {
                        if (http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode() == 200) {
                            break;
                        }
                    } catch (java.io.IOException notYet) {
                        Thread.sleep(5);
                    }
                }
                long healthy = System.nanoTime();
                String token = Tokens.gatewayToken(key, "bench");
                var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                        .endpoint("/mcp")
                        .httpRequestCustomizer((request, method, uri, body, context) ->
                                request.header("Authorization", "Bearer " + token))
                        .build();
                try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(10)).build()) {
                    client.initialize();
                    client.listTools();
                    long firstList = System.nanoTime();
                    long burstStart = System.nanoTime();
                    for (int i = 0; i < CALLS; i++) {
                        client.callTool(new CallToolRequest("team_info", Map.of()));
                    }
                    long burst = System.nanoTime() - burstStart;
                    long rssKb = rssKb(process.pid());
                    results.add(new long[] {(healthy - launched) / 1_000_000, (firstList - launched) / 1_000_000,
                            burst / CALLS / 1_000, rssKb / 1024});
                }
            } finally {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        System.out.println("run | to /healthz ms | to first tools/list ms | team_info call µs | RSS MiB");
        for (int i = 0; i < results.size(); i++) {
            long[] r = results.get(i);
            System.out.printf("%d | %d | %d | %d | %d%n", i + 1, r[0], r[1], r[2], r[3]);
        }
    }

    private static long rssKb(long pid) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
