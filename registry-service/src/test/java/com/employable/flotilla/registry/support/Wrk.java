package com.employable.flotilla.registry.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk (Debian's package) with one of {@code bench/*.lua}, whose {@code done} prints a {@code RESULT} line. */
public final class Wrk {

    private static final Pattern RESULT = Pattern.compile(
            "RESULT p50_ms=([0-9.]+) p99_ms=([0-9.]+) rps=([0-9.]+) requests=(\\d+) non2xx=(\\d+) errors=(\\d+)");

    private Wrk() {}

    /**
     * A 3 s warm-up, then the measured run, one wrk thread.
     * @param script a file under {@code registry-service/bench}
     * @param env what the script reads from the environment
     */
    public static Result measure(String url, String script, int connections, int seconds, Map<String, String> env)
            throws IOException, InterruptedException {
        String path = Path.of("bench", script).toAbsolutePath().toString();
        run(List.of("wrk", "-t1", "-c" + connections, "-d3s", "-s", path, url), env);
        String out = run(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "-s", path, url), env);
        Matcher result = RESULT.matcher(out);
        assertThat(result.find()).as(out).isTrue();
        return new Result(
                Double.parseDouble(result.group(1)),
                Double.parseDouble(result.group(2)),
                Double.parseDouble(result.group(3)),
                Long.parseLong(result.group(4)),
                Long.parseLong(result.group(5)),
                Long.parseLong(result.group(6)));
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
     */
    public record Result(double p50Ms, double p99Ms, double rps, long requests, long non2xx, long errors) {

        /** More than one failed request in a thousand fails a run: a rare one is reported, not hidden. */
        public boolean mostlySucceeded() {
            return non2xx + errors <= requests / 1000.0;
        }
    }
}
