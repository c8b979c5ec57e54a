package com.employable.flotilla.health.monitor;

import com.employable.flotilla.health.probe.McpProbe;
import com.employable.flotilla.health.probe.ProbeProperties;
import com.employable.flotilla.health.probe.ProbeResult;
import com.employable.flotilla.health.probe.ProbeTokens;
import com.employable.flotilla.health.probe.Prober;
import com.employable.flotilla.health.probe.StreamableHttpProbe;
import com.employable.flotilla.health.targets.ProbeTarget;
import com.employable.flotilla.health.targets.TargetKey;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Scale harness (not a test): the real scheduler and the real MCP probe (initialize, initialized, tools/list, close)
 * against lightweight MCP responders on loopback ({@link LightMcpResponder}, one selector thread each), 10,000 targets at a 15 s interval on this machine. Reports the
 * scheduling lag (how late each probe started against its slot) and CPU. Run:
 * {@code ./mvnw -pl health-service -Pbenchmark verify} (args: targets, interval seconds, measured intervals).
 */
public final class ProbeSchedulerBenchmark {

    private ProbeSchedulerBenchmark() {}

    public static void main(String[] args) throws Exception {
        // the SDK logs every initialize at INFO: at thousands of probes a second that is the bottleneck
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.modelcontextprotocol"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Duration interval = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 15);
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        var client = args.length > 3
                ? ProbeProperties.Client.valueOf(args[3].toUpperCase().replace('-', '_'))
                : ProbeProperties.Client.STREAMABLE_HTTP;

        List<LightMcpResponder> responders = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            responders.add(new LightMcpResponder());
        }

        var probeProperties = new ProbeProperties(
                ProbeProperties.Method.TOOLS_LIST,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                262_144,
                2,
                256,
                client);
        byte[] probeKey = new byte[32];
        Prober probe = client == ProbeProperties.Client.SDK
                ? McpProbe.create(
                        McpProbe.sharedHttpClient(
                                probeProperties, Executors.newFixedThreadPool(2, named("probe-http"))),
                        new ProbeTokens(probeKey),
                        probeProperties,
                        Clock.systemUTC())
                : new StreamableHttpProbe(
                        StreamableHttpProbe.sharedClient(probeProperties),
                        Executors.newFixedThreadPool(probeProperties.probeThreads(), named("probe")),
                        new ProbeTokens(probeKey),
                        probeProperties,
                        Clock.systemUTC());

        var lags = new ConcurrentLinkedQueue<Long>();
        var ok = new AtomicLong();
        var failed = new AtomicLong();
        var measuring = new java.util.concurrent.atomic.AtomicBoolean();
        var scheduler = new ProbeScheduler(
                probe,
                new ScheduleProperties(interval, 0.05, 2000, Duration.ofMillis(250), Duration.ofSeconds(20)),
                interval.dividedBy(4),
                new ProbeScheduler.Listener() {
                    @Override
                    public void started(ProbeTarget target, long lagNanos) {
                        if (measuring.get()) {
                            lags.add(lagNanos);
                        }
                    }

                    @Override
                    public NextProbe finished(ProbeTarget target, ProbeResult result) {
                        if (measuring.get()) {
                            (result.failure() == null ? ok : failed).incrementAndGet();
                            if (result.failure() != null && failed.get() <= 3) {
                                System.out.println("failure: " + result.failure());
                            }
                        }
                        return NextProbe.ON_SCHEDULE;
                    }
                },
                RandomGenerator.getDefault());
        for (int n = 0; n < targets; n++) {
            int port = responders.get(n % responders.size()).port();
            scheduler.schedule(
                    new ProbeTarget(
                            new TargetKey("team-" + n, "m" + n),
                            URI.create("http://127.0.0.1:" + port + "/t" + n + "/mcp"),
                            1,
                            false),
                    false);
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
        for (LightMcpResponder responder : responders) {
            responder.close();
        }

        long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(
                "client=%s targets=%d interval=%ds measured=%d intervals cores=%d%n",
                client,
                targets,
                interval.toSeconds(),
                measured,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(
                "probes started=%d ok=%d failed=%d (expected ~%d)%n",
                sorted.length, ok.get(), failed.get(), (long) targets * measured);
        System.out.printf(
                "scheduling lag ms: p50=%.1f p99=%.1f max=%.1f%n",
                pct(sorted, 0.50), pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        System.out.printf(
                "CPU (prober and responders together): %.0f%% of one core, %.0f%% of the machine%n",
                100.0 * cpu / wall, 100.0 * cpu / wall / Runtime.getRuntime().availableProcessors());
        printCpuByThread();
        System.exit(0);
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Where the CPU went: responders and prober share the JVM, so split it by thread. */
    private static void printCpuByThread() {
        var threads = ManagementFactory.getThreadMXBean();
        var byGroup = new java.util.TreeMap<String, Long>();
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            long cpu = threads.getThreadCpuTime(id);
            if (info == null || cpu <= 0) {
                continue;
            }
            String group = info.getThreadName().replaceAll("[-#]?\\d+$", "").replaceAll("-\\d+-", "-n-");
            byGroup.merge(group, cpu, Long::sum);
        }
        byGroup.entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .forEach(entry -> System.out.printf("  cpu %-40s %6.1f s%n", entry.getKey(), entry.getValue() / 1e9));
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
    }
}
