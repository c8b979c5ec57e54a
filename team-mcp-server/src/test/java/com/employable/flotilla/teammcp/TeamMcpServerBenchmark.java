package com.employable.flotilla.teammcp;

import com.employable.flotilla.teammcp.support.Tokens;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Cold-start and memory of the team server as Fly runs it: a fresh JVM from the shaded jar on one core, measured from
 * process launch to the first /healthz answer and to the first tools/list answered through a real MCP client, resident
 * memory then and after 1,000 tool calls, and calls per second: plain, with AppCDS, and, given a Java 25
 * ({@code -Dbenchmark.aot.java=<java 25>/bin/java}), with its AOT cache and as the image runs (jlinked runtime,
 * {@code image/jvm.options}). Not a test: run with {@code mvn -pl team-mcp-server -Pbenchmark verify} and copy the
 * numbers into the README.
 */
public final class TeamMcpServerBenchmark {

    private static final int RUNS = 10;
    private static final int CALLS = 1_000;

    /** The options of the image before this module's options file: C1 only, serial GC, small stacks. */
    private static final List<String> EARLIER_IMAGE_OPTIONS =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k");

    public static void main(String[] args) throws Exception {
        Path module = Path.of(System.getProperty("flotilla.module.dir", "."));
        Path jar = module.resolve("target/team-mcp-server.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the jar first: " + jar);
        }
        var modes = new LinkedHashMap<String, List<String>>();
        modes.put("plain", concat(List.of("java"), EARLIER_IMAGE_OPTIONS));
        // AppCDS trained as the image trains: one --train run, the archive written at exit
        Path archive = jar.resolveSibling("team-mcp-server-bench.jsa");
        Files.deleteIfExists(archive);
        train(concat(List.of("java"), EARLIER_IMAGE_OPTIONS, List.of("-XX:ArchiveClassesAtExit=" + archive)), jar);
        modes.put(
                "appcds", concat(List.of("java"), EARLIER_IMAGE_OPTIONS, List.of("-XX:SharedArchiveFile=" + archive)));
        String java25 = System.getProperty("benchmark.aot.java", "");
        if (!java25.isBlank()) {
            // Java 25's AOT cache (JEP 483/514/515) on the full JDK with the earlier options
            Path cache = jar.resolveSibling("team-mcp-server-bench.aot");
            Files.deleteIfExists(cache);
            train(concat(List.of(java25), EARLIER_IMAGE_OPTIONS, List.of("-XX:AOTCacheOutput=" + cache)), jar);
            modes.put(
                    "aot-cache (Java 25 JDK)",
                    concat(List.of(java25), EARLIER_IMAGE_OPTIONS, List.of("-XX:AOTCache=" + cache)));
            // what the image runs: the jlinked runtime, image/jvm.options, and the AOT cache trained with them
            String runtimeJava = jlinkRuntime(
                    Path.of(java25), module.resolve("image/java.modules"), jar.resolveSibling("bench-runtime"));
            String options = "@" + module.resolve("image/jvm.options");
            Path imageCache = jar.resolveSibling("team-mcp-server-bench-image.aot");
            Files.deleteIfExists(imageCache);
            train(List.of(runtimeJava, options, "-XX:AOTCacheOutput=" + imageCache), jar);
            modes.put(
                    "image (jlinked Java 25, jvm.options, AOT cache)",
                    List.of(runtimeJava, options, "-XX:AOTCache=" + imageCache));
        }
        // modes take turns run by run, so that a slower spell of a shared host does not land on one mode only
        var results = new LinkedHashMap<String, List<long[]>>();
        int port = 19400;
        for (int run = 0; run < RUNS; run++) {
            for (var mode : modes.entrySet()) {
                results.computeIfAbsent(mode.getKey(), key -> new ArrayList<>()).add(run(jar, mode.getValue(), port++));
            }
        }
        for (var mode : results.entrySet()) {
            List<long[]> runs = mode.getValue();
            System.out.printf(
                    "%s: median to /healthz %d ms, median to first tools/list %d ms (min %d, max %d), RSS after"
                            + " start %d MiB, RSS after %d calls %d MiB, %d team_info calls/s on one core%n",
                    mode.getKey(),
                    median(runs, 0),
                    median(runs, 1),
                    min(runs, 1),
                    max(runs, 1),
                    median(runs, 2),
                    CALLS,
                    median(runs, 3),
                    median(runs, 4));
        }
    }

    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    /** Links the image's runtime with the jlink next to the given java; returns the linked runtime's java. */
    static String jlinkRuntime(Path java25, Path moduleList, Path output) throws Exception {
        String modules = Files.readAllLines(moduleList).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .collect(Collectors.joining(","));
        deleteRecursively(output);
        Process jlink = new ProcessBuilder(
                        java25.resolveSibling("jlink").toString(),
                        "--add-modules",
                        modules,
                        "--strip-debug",
                        "--no-man-pages",
                        "--no-header-files",
                        "--output",
                        output.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (!jlink.waitFor(300, TimeUnit.SECONDS) || jlink.exitValue() != 0) {
            throw new IllegalStateException("jlink failed for modules " + modules);
        }
        return output.resolve("bin/java").toString();
    }

    private static void deleteRecursively(Path path) throws java.io.IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }

    /** @param javaAndOptions the java binary, then its options, up to but not including -jar */
    static void train(List<String> javaAndOptions, Path jar) throws Exception {
        List<String> command = concat(javaAndOptions, List.of("-jar", jar.toString(), "--train"));
        Process training = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!training.waitFor(120, TimeUnit.SECONDS) || training.exitValue() != 0) {
            throw new IllegalStateException("training run failed: " + command);
        }
    }

    private static long min(List<long[]> results, int column) {
        return results.stream().mapToLong(r -> r[column]).min().orElseThrow();
    }

    private static long max(List<long[]> results, int column) {
        return results.stream().mapToLong(r -> r[column]).max().orElseThrow();
    }

    static long median(List<long[]> results, int column) {
        long[] values = results.stream().mapToLong(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }

    /**
     * One start on one core of a 256 MB machine (as a Fly shared-cpu-1x sees it).
     * @param javaAndOptions the java binary, then the mode's options
     * @return ms to healthz, ms to first tools/list, RSS MiB after start, RSS MiB after the calls, calls/s
     */
    private static long[] run(Path jar, List<String> javaAndOptions, int port) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        byte[] key = Tokens.newTeamKey();
        List<String> command = concat(
                List.of("taskset", "-c", "0"), javaAndOptions, List.of("-XX:MaxRAM=256m", "-jar", jar.toString()));
        var builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment()
                .putAll(Map.of(
                        "FLOTILLA_TEAM_ID",
                        "bench",
                        "PORT",
                        Integer.toString(port),
                        "FLOTILLA_BIND",
                        "127.0.0.1",
                        "FLOTILLA_TEAM_TOKEN_KEY",
                        Tokens.base64Url(key)));
        long launched = System.nanoTime();
        Process process = builder.start();
        try {
            URI health = URI.create("http://127.0.0.1:" + port + "/healthz");
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200) {
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
                    .httpRequestCustomizer(
                            (request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
                    .build();
            try (McpSyncClient client = McpClient.sync(transport)
                    .requestTimeout(Duration.ofSeconds(10))
                    .build()) {
                client.initialize();
                client.listTools();
                long firstList = System.nanoTime();
                long rssStart = rssKb(process.pid()) / 1024;
                long burstStart = System.nanoTime();
                for (int i = 0; i < CALLS; i++) {
                    client.callTool(new CallToolRequest("team_info", Map.of()));
                }
                long burst = System.nanoTime() - burstStart;
                return new long[] {
                    (healthy - launched) / 1_000_000,
                    (firstList - launched) / 1_000_000,
                    rssStart,
                    rssKb(process.pid()) / 1024,
                    CALLS * 1_000_000_000L / burst
                };
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
