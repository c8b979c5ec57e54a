package com.employable.flotilla.teammcp;

import com.employable.flotilla.teammcp.support.Tokens;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The team server's start in image mode (jlinked Java 25, {@code image/jvm.options}, the AOT cache of a --train run)
 * under Fly's shared-CPU baseline: a cgroup v1 CFS quota of 5 ms per 80 ms period (6.25%, a machine whose burst
 * balance is spent), 20 ms (25%), and one full core ({@code taskset -c 0} only, as {@link TeamMcpServerBenchmark}).
 * Every mode is also pinned to core 0, so a quota is a share of one vCPU. Per start: launch to /healthz 200 and to the
 * first tools/list answered, the CPU time the JVM used until then (utime + stime of /proc/pid/stat, all threads: the
 * burst balance a start spends), then 2 x 200 team_info calls (calls/s, CPU per call) and 10 s idle with the session open (CPU per second). Needs root and cgroup v1;
 * skips with a message otherwise. Run with {@code -Pbenchmark -Dbenchmark.main=TeamMcpServerCpuQuotaBenchmark}.
 */
public final class TeamMcpServerCpuQuotaBenchmark {

    private static final int CALLS = 200;
    private static final long CLOCK_TICK_MS = 10; // USER_HZ = 100 on Linux (getconf CLK_TCK)
    private static final Duration DEADLINE = Duration.ofMinutes(3);
    private static final Duration IDLE = Duration.ofSeconds(10);

    /** A way to run the server: its cgroup quota in µs per 80 ms period, or none for the full core. */
    private record Mode(String name, long quotaUs) {}

    /**
     * One start: ms to /healthz, ms to tools/list, CPU ms then, and per batch of calls: calls/s and CPU µs a call, then
     * CPU µs per idle second.
     */
    private record Start(
            long toHealthz, long toList, long cpuAtHealthz, long cpuAtList, long throttled, long[] batches) {}

    public static void main(String[] args) throws Exception {
        String reason = CpuQuotaGroup.unavailableReason();
        String java25 = System.getProperty("benchmark.aot.java", "");
        if (reason == null && java25.isBlank()) {
            reason = "no -Dbenchmark.aot.java=<java 25> given (image mode needs it)";
        }
        if (reason != null) {
            System.out.println("CPU quota benchmark skipped: " + reason);
            return;
        }
        int runs = Integer.parseInt(
                System.getProperty("benchmark.runs", "").isBlank() ? "5" : System.getProperty("benchmark.runs"));
        Path module = Path.of(System.getProperty("flotilla.module.dir", "."));
        Path jar = module.resolve("target/team-mcp-server.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the jar first: " + jar);
        }
        String runtimeJava = TeamMcpServerBenchmark.jlinkRuntime(
                Path.of(java25), module.resolve("image/java.modules"), jar.resolveSibling("bench-runtime"));
        String options = "@" + module.resolve("image/jvm.options");
        Path cache = jar.resolveSibling("team-mcp-server-bench-image.aot");
        Files.deleteIfExists(cache);
        TeamMcpServerBenchmark.train(List.of(runtimeJava, options, "-XX:AOTCacheOutput=" + cache), jar);
        List<String> image = List.of(runtimeJava, options, "-XX:AOTCache=" + cache);

        List<Mode> modes = List.of(
                new Mode("6.25% (5 ms / 80 ms)", 5_000),
                new Mode("25% (20 ms / 80 ms)", 20_000),
                new Mode("100% (one core, taskset only)", -1));
        var groups = new LinkedHashMap<Mode, CpuQuotaGroup>();
        var results = new LinkedHashMap<Mode, List<Start>>();
        List<String> loads = new ArrayList<>(List.of(loadAverage()));
        try {
            for (Mode mode : modes) {
                if (mode.quotaUs() > 0) {
                    groups.put(mode, CpuQuotaGroup.create("flotilla-bench-quota-" + mode.quotaUs(), mode.quotaUs()));
                }
            }
            int port = 19600;
            for (int run = 0; run < runs; run++) {
                // modes take turns, and the first mode rotates, so a slower spell of the shared host spreads over all
                for (int i = 0; i < modes.size(); i++) {
                    Mode mode = modes.get((run + i) % modes.size());
                    Start start = run(jar, image, groups.get(mode), port++);
                    results.computeIfAbsent(mode, key -> new ArrayList<>()).add(start);
                    System.out.printf("run %d %s: %s%n", run + 1, mode.name(), describe(start));
                }
                loads.add(loadAverage());
            }
        } finally {
            for (CpuQuotaGroup group : groups.values()) {
                group.close();
            }
        }
        System.out.println("load average (1/5/15 min) before and after each round: " + loads);
        for (Mode mode : modes) {
            List<Start> starts = results.get(mode);
            System.out.printf(
                    "%s, median of %d: launch -> /healthz %d ms, -> first tools/list %d ms (min %d, max %d);"
                            + " CPU until /healthz %d ms, until tools/list %d ms; throttled periods %d;"
                            + " first %d team_info calls %d/s (%d us CPU each), next %d %d/s (%d us CPU each);"
                            + " idle %d us CPU per s%n",
                    mode.name(),
                    starts.size(),
                    median(starts, s -> s.toHealthz()),
                    median(starts, s -> s.toList()),
                    starts.stream().mapToLong(Start::toList).min().orElseThrow(),
                    starts.stream().mapToLong(Start::toList).max().orElseThrow(),
                    median(starts, s -> s.cpuAtHealthz()),
                    median(starts, s -> s.cpuAtList()),
                    median(starts, s -> s.throttled()),
                    CALLS,
                    median(starts, s -> s.batches()[0]),
                    median(starts, s -> s.batches()[1]),
                    CALLS,
                    median(starts, s -> s.batches()[2]),
                    median(starts, s -> s.batches()[3]),
                    median(starts, s -> s.batches()[4]));
        }
    }

    private static Start run(Path jar, List<String> image, CpuQuotaGroup group, int port) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        byte[] key = Tokens.newTeamKey();
        List<String> command = TeamMcpServerBenchmark.concat(
                List.of("taskset", "-c", "0"), image, List.of("-XX:MaxRAM=256m", "-jar", jar.toString()));
        if (group != null) {
            command = group.wrap(command);
        }
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
        long throttledBefore = group == null ? 0 : group.throttledPeriods();
        long launched = System.nanoTime();
        Process process = builder.start();
        try {
            URI health = URI.create("http://127.0.0.1:" + port + "/healthz");
            while (!healthy(http, health)) {
                if (!process.isAlive() || System.nanoTime() - launched > DEADLINE.toNanos()) {
                    throw new IllegalStateException("server did not become healthy: " + command);
                }
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            long healthyAt = System.nanoTime();
            long cpuAtHealthz = cpuMs(process.pid());
            String token = Tokens.gatewayToken(key, "bench");
            var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                    .endpoint("/mcp")
                    .httpRequestCustomizer(
                            (request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
                    .build();
            // at 6.25% one first request can take seconds of wall time: the SDK's default timeout would cut it off
            try (McpSyncClient client = McpClient.sync(transport)
                    .requestTimeout(DEADLINE)
                    .initializationTimeout(DEADLINE)
                    .build()) {
                client.initialize();
                client.listTools();
                long listedAt = System.nanoTime();
                long cpuAtList = cpuMs(process.pid());
                long throttled = group == null ? 0 : group.throttledPeriods() - throttledBefore;
                long[] batches = new long[5];
                for (int batch = 0; batch < 2; batch++) {
                    long cpuBefore = cpuMs(process.pid());
                    long began = System.nanoTime();
                    for (int i = 0; i < CALLS; i++) {
                        client.callTool(new CallToolRequest("team_info", Map.of()));
                    }
                    long took = System.nanoTime() - began;
                    batches[batch * 2] = CALLS * 1_000_000_000L / took;
                    batches[batch * 2 + 1] = (cpuMs(process.pid()) - cpuBefore) * 1_000 / CALLS;
                }
                // what an open session costs between an agent's calls (timers, Tomcat's background thread)
                long cpuBeforeIdle = cpuMs(process.pid());
                LockSupport.parkNanos(IDLE.toNanos());
                batches[4] = (cpuMs(process.pid()) - cpuBeforeIdle) * 1_000 / IDLE.toSeconds();
                return new Start(
                        (healthyAt - launched) / 1_000_000,
                        (listedAt - launched) / 1_000_000,
                        cpuAtHealthz,
                        cpuAtList,
                        throttled,
                        batches);
            }
        } finally {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean healthy(HttpClient http, URI health) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** utime + stime of the whole process (every thread), in ms, at the kernel's 10 ms tick resolution. */
    private static long cpuMs(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // fields after the command name in parentheses; utime and stime are fields 14 and 15 of proc(5)
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * CLOCK_TICK_MS;
    }

    private static String loadAverage() throws IOException {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return parts[0] + "/" + parts[1] + "/" + parts[2];
    }

    private static String describe(Start s) {
        return String.format(
                "/healthz %d ms, tools/list %d ms, CPU %d/%d ms, throttled %d, calls/s %d (%d us), %d (%d us), idle %d us/s",
                s.toHealthz(),
                s.toList(),
                s.cpuAtHealthz(),
                s.cpuAtList(),
                s.throttled(),
                s.batches()[0],
                s.batches()[1],
                s.batches()[2],
                s.batches()[3],
                s.batches()[4]);
    }

    private static long median(List<Start> starts, java.util.function.ToLongFunction<Start> column) {
        long[] values = starts.stream().mapToLong(column).sorted().toArray();
        return values[values.length / 2];
    }
}
