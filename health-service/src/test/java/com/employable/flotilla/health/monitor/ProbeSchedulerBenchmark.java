package com.employable.flotilla.health.monitor;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import com.employable.flotilla.health.probe.McpProbe;
import com.employable.flotilla.health.probe.ProbeProperties;
import com.employable.flotilla.health.probe.ProbeResult;
import com.employable.flotilla.health.probe.ProbeTokens;
import com.employable.flotilla.health.targets.ProbeTarget;
import com.employable.flotilla.health.targets.TargetKey;

/**
 * Scale harness (not a test): the real scheduler and the real MCP probe (initialize, initialized, tools/list, close)
 * against lightweight MCP responders on loopback, 10,000 targets at a 15 s interval on this machine. Reports the
 * scheduling lag (how late each probe started against its slot) and CPU. Run:
 * {@code ./mvnw -pl health-service -Pbenchmark verify} (args: targets, interval seconds, measured intervals).
 */
public final class ProbeSchedulerBenchmark {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\"[^\"]*\"|[0-9]+)");

    private ProbeSchedulerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // the SDK logs every initialize at INFO: at thousands of probes a second that is the bottleneck
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.modelcontextprotocol"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Duration interval = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 15);
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 2;

        List<HttpServer> responders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
            server.createContext("/", ProbeSchedulerBenchmark::respond);
            server.setExecutor(Executors.newFixedThreadPool(2));
            server.start();
            responders.add(server);
        }

        var probeProperties = new ProbeProperties(ProbeProperties.Method.TOOLS_LIST, Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2), 262_144, 2);
        var http = McpProbe.sharedHttpClient(probeProperties, Executors.newFixedThreadPool(2));
        byte[] probeKey = new byte[32];
        var probe = McpProbe.create(http, new ProbeTokens(probeKey), probeProperties, Clock.systemUTC());

        var lags = new ConcurrentLinkedQueue<Long>();
        var ok = new AtomicLong();
        var failed = new AtomicLong();
        var measuring = new java.util.concurrent.atomic.AtomicBoolean();
        var scheduler = new ProbeScheduler(probe, new ScheduleProperties(interval, 0.05, 2000),
                new ProbeScheduler.Listener() {
                    @Override
                    public void started(ProbeTarget target, long lagNanos) {
                        if (measuring.get()) {
                            lags.add(lagNanos);
                        }
                    }

                    @Override
                    public void finished(ProbeTarget target, ProbeResult result) {
                        if (measuring.get()) {
                            (result.failure() == null ? ok : failed).incrementAndGet();
                            if (result.failure() != null && failed.get() <= 3) {
                                System.out.println("failure: " + result.failure());
                            }
                        }
                    }
                }, RandomGenerator.getDefault());
        for (int n = 0; n < targets; n++) {
            int port = responders.get(n % responders.size()).getAddress().getPort();
            scheduler.schedule(new ProbeTarget(new TargetKey("team-" + n, "m" + n),
                    URI.create("http://127.0.0.1:" + port + "/t" + n + "/mcp"), 1));
        }
        Thread.sleep(interval.toMillis()); // warm-up: one whole interval
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        measuring.set(true);
        Thread.sleep(interval.toMillis() * measured);
        measuring.set(false);
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        scheduler.close();
        responders.forEach(server -> server.stop(0));

        long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("targets=%d interval=%ds measured=%d intervals cores=%d%n", targets, interval.toSeconds(),
                measured, Runtime.getRuntime().availableProcessors());
        System.out.printf("probes started=%d ok=%d failed=%d (expected ~%d)%n", sorted.length, ok.get(), failed.get(),
                (long) targets * measured);
        System.out.printf("scheduling lag ms: p50=%.1f p99=%.1f max=%.1f%n", pct(sorted, 0.50), pct(sorted, 0.99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        System.out.printf("CPU (prober and responders together): %.0f%% of one core, %.0f%% of the machine%n",
                100.0 * cpu / wall, 100.0 * cpu / wall / Runtime.getRuntime().availableProcessors());
        System.exit(0);
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
    }

    /** Just enough MCP: initialize (with a session), the initialized notification, tools/list, DELETE. */
    private static void respond(HttpExchange exchange) throws IOException {
        try (exchange) {
            if ("DELETE".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher id = ID.matcher(body);
            if (!id.find()) {
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            String result = body.contains("\"initialize\"")
                    ? "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"tools\":{}},"
                    + "\"serverInfo\":{\"name\":\"bench\",\"version\":\"1\"}}"
                    : "{\"tools\":[{\"name\":\"team_info\",\"inputSchema\":{\"type\":\"object\"}}]}";
            byte[] bytes = ("{\"jsonrpc\":\"2.0\",\"id\":" + id.group(1) + ",\"result\":" + result + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (body.contains("\"initialize\"")) {
                exchange.getResponseHeaders().set("Mcp-Session-Id", UUID.randomUUID().toString());
            }
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
