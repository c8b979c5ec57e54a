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
 * Cold-start and memory of the team server as Fly runs it: a fresh JVM from the shaded jar on one core, measured from
 * process launch to the first /healthz answer and to the first tools/list answered through a real MCP client, resident
 * memory then and after 1,000 tool calls, and calls per second; without and with an AppCDS archive. Not a test: run with
 * {@code mvn -pl team-mcp-server -Pbenchmark verify} and copy the numbers into the README.
 */
public final class TeamMcpServerBenchmark {

    private static final int RUNS = 10;
    private static final int CALLS = 1_000;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("flotilla.module.dir", ".")).resolve("target/team-mcp-server.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the jar first: " + jar);
        }
        Path archive = jar.resolveSibling("team-mcp-server-bench.jsa");
        Files.deleteIfExists(archive);
        // the archive is trained as the Dockerfile trains it: one --train run, written at exit
        train("java", List.of("-XX:ArchiveClassesAtExit=" + archive), jar);
        var modes = new java.util.LinkedHashMap<String, List<String>>();
        modes.put("plain", List.of("java"));
        modes.put("appcds", List.of("java", "-XX:SharedArchiveFile=" + archive));
        // Java 25's AOT cache (JEP 483/514/515): classes loaded and linked, and method profiles, from the training
        String java25 = System.getProperty("benchmark.aot.java", "");
        if (!java25.isBlank()) {
            Path cache = jar.resolveSibling("team-mcp-server-bench.aot");
            Files.deleteIfExists(cache);
            train(java25, List.of("-XX:AOTCacheOutput=" + cache), jar);
            modes.put("aot-cache (Java 25)", List.of(java25, "-XX:AOTCache=" + cache));
        }
        for (var mode : modes.entrySet()) {
            List<long[]> results = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                results.add(run(jar, mode.getValue(), 19400 + run));
            }
            System.out.printf("%s: median to /healthz %d ms, median to first tools/list %d ms, RSS after start %d MiB,"
                            + " RSS after %d calls %d MiB, %d team_info calls/s on one core%n", mode.getKey(),
                    median(results, 0), median(results, 1), median(results, 2), CALLS, median(results, 3),
                    median(results, 4));
        }
    }

    private static void train(String java, List<String> flags, Path jar) throws Exception {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(flags);
        command.addAll(List.of("-jar", jar.toString(), "--train"));
        Process training = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!training.waitFor(120, TimeUnit.SECONDS) || training.exitValue() != 0) {
            throw new IllegalStateException("training run failed: " + command);
        }
    }

    private static long median(List<long[]> results, int column) {
        long[] values = results.stream().mapToLong(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }

    /** @return ms to healthz, ms to first tools/list, RSS MiB after start, RSS MiB after the calls, calls/s */
    /** @param javaAndFlags the java binary, then the mode's flags */
    private static long[] run(Path jar, List<String> javaAndFlags, int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        byte[] key = Tokens.newTeamKey();
        List<String> command = new ArrayList<>(List.of("taskset", "-c", "0", javaAndFlags.get(0),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-XX:MaxRAM=256m"));
        command.addAll(javaAndFlags.subList(1, javaAndFlags.size()));
        command.addAll(List.of("-jar", jar.toString()));
        var builder = new ProcessBuilder(command)
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
                long rssStart = rssKb(process.pid()) / 1024;
                long burstStart = System.nanoTime();
                for (int i = 0; i < CALLS; i++) {
                    client.callTool(new CallToolRequest("team_info", Map.of()));
                }
                long burst = System.nanoTime() - burstStart;
                return new long[] {(healthy - launched) / 1_000_000, (firstList - launched) / 1_000_000, rssStart,
                        rssKb(process.pid()) / 1024, CALLS * 1_000_000_000L / burst};
            }
        } finally {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
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
