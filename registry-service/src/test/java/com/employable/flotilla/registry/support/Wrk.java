package com.employable.flotilla.registry.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Runs wrk (Debian's package) with one of {@code bench/*.lua}, whose {@code done} prints a {@code RESULT} line. */
public final class Wrk {

    private static final Pattern RESULT = Pattern.compile(
            "RESULT p50_ms=([0-9.]+) p99_ms=([0-9.]+) rps=([0-9.]+) requests=(\\d+) non2xx=(\\d+) errors=(\\d+)");

    public static final int WARM_UP_SECONDS = Integer.getInteger("flotilla.bench.warmup", 30);

    private Wrk() {}

    /**
     * A warm-up ({@code flotilla.bench.warmup} seconds, default 30: on two busy cores the JIT is still compiling the
     * gateway's path after 20 s of load, and settles by 30 s), then the measured run, one wrk thread.
     * @param script a file under {@code registry-service/bench}
     * @param env what the script reads from the environment
     * @param serverCpuNanos the CPU time used so far by the processes that serve the requests: read before and after
     * the measured run, it gives the CPU each request cost them, which other load on the machine hardly changes
     */
    public static Result measure(
            String url,
            String script,
            int connections,
            int seconds,
            Map<String, String> env,
            LongSupplier serverCpuNanos)
            throws IOException, InterruptedException {
        String path = Path.of("bench", script).toAbsolutePath().toString();
        run(List.of("wrk", "-t1", "-c" + connections, "-d" + WARM_UP_SECONDS + "s", "-s", path, url), env);
        long cpuBefore = serverCpuNanos.getAsLong();
        String out = run(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "-s", path, url), env);
        long cpu = serverCpuNanos.getAsLong() - cpuBefore;
        Matcher result = RESULT.matcher(out);
        assertThat(result.find()).as(out).isTrue();
        long requests = Long.parseLong(result.group(4));
        return new Result(
                Double.parseDouble(result.group(1)),
                Double.parseDouble(result.group(2)),
                Double.parseDouble(result.group(3)),
                requests,
                Long.parseLong(result.group(5)),
                Long.parseLong(result.group(6)),
                cpu / 1000.0 / Math.max(1, requests));
    }

    /** The CPU time used so far by these processes (not their children). */
    public static long cpuNanos(Stream<ProcessHandle> processes) {
        return processes
                .map(process -> process.info().totalCpuDuration().orElse(Duration.ZERO))
                .mapToLong(Duration::toNanos)
                .sum();
    }

    /** A process and everything it started (nginx and its workers, local-fly and its machines). */
    public static Stream<ProcessHandle> withDescendants(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants());
    }

    private static String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process wrk = builder.start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(wrk.waitFor()).as(out).isZero();
        return out;
    }

    /**
     * @param p50Ms median latency
     * @param p99Ms 99th percentile latency
     * @param rps requests per second
     * @param requests requests completed
     * @param non2xx answers that were not 2xx
     * @param errors socket errors (connect, read, write, timeout)
     * @param cpuMicrosPerRequest CPU time the serving processes spent per request (all their threads and cores)
     */
    public record Result(
            double p50Ms,
            double p99Ms,
            double rps,
            long requests,
            long non2xx,
            long errors,
            double cpuMicrosPerRequest) {

        /** More than one failed request in a thousand fails a run: a rare one is reported, not hidden. */
        public boolean mostlySucceeded() {
            return non2xx + errors <= requests / 1000.0;
        }
    }
}
