package com.employable.flotilla.localfly.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a machine of the team server image starts here: the way the image starts it (deploy/docker's Dockerfile), with
 * the image's JVM options ({@code team-mcp-server/image/jvm.options}) and an AOT cache trained by the image's own
 * {@code --train} run, so a start from stopped here costs what it costs in the image rather than a plain
 * {@code java -jar}. The cache is trained once per jar (named after the jar's size and time) when the JVM can use one
 * (Java 25), and reused by every local-fly after that; without it, the options alone still apply.
 */
final class TeamServerLaunch {

    private static final Logger log = LoggerFactory.getLogger(TeamServerLaunch.class);

    /** What the image's options file says, for a jar that was copied away from its module. */
    private static final List<String> IMAGE_OPTIONS = List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:CompileThresholdScaling=5",
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:-AOTReplayTraining",
            "-Djdk.reflect.useNativeAccessorOnly=true",
            "-XX:+UseSerialGC",
            "-Xss512k");

    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(2);

    private TeamServerLaunch() {}

    /** The command that starts the team server in {@code jar} with {@code java}, training its AOT cache if needed. */
    static List<String> command(String java, Path relativeOrAbsolute) {
        // a machine's process runs in the machine's own directory: every path it is given must be absolute
        Path jar = relativeOrAbsolute.toAbsolutePath();
        List<String> command = new ArrayList<>();
        command.add(java);
        Path options = jar.toAbsolutePath().getParent().resolveSibling("image").resolve("jvm.options");
        if (Files.isRegularFile(options)) {
            command.add("@" + options);
        } else {
            command.addAll(IMAGE_OPTIONS);
        }
        command.add("-Xmx128m");
        if (Runtime.version().feature() >= 25) {
            cache(command, jar).ifPresent(cache -> command.add("-XX:AOTCache=" + cache));
        }
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    private static java.util.Optional<Path> cache(List<String> options, Path jar) {
        try {
            Path cache = jar.resolveSibling(jar.getFileName() + "." + Files.size(jar) + "-"
                    + Files.getLastModifiedTime(jar).toMillis() + ".aot");
            if (Files.isRegularFile(cache)) {
                return java.util.Optional.of(cache);
            }
            synchronized (TeamServerLaunch.class) {
                return train(options, jar, cache);
            }
        } catch (IOException e) {
            log.warn("No AOT cache for {}: {}", jar, e.toString());
            return java.util.Optional.empty();
        }
    }

    /** The image's training run, writing to a temporary file that is moved in place only when complete. */
    private static java.util.Optional<Path> train(List<String> options, Path jar, Path cache) throws IOException {
        if (Files.isRegularFile(cache)) {
            return java.util.Optional.of(cache);
        }
        Path partial =
                Files.createTempFile(cache.getParent(), cache.getFileName().toString(), ".partial");
        Files.delete(partial);
        List<String> training = new ArrayList<>(options);
        training.addAll(List.of("-XX:AOTCacheOutput=" + partial, "-jar", jar.toString(), "--train"));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(training)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!process.waitFor(TRAINING_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                log.warn("The team server's training run did not finish cleanly: starting without an AOT cache");
                Files.deleteIfExists(partial);
                return java.util.Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return java.util.Optional.empty();
        }
        Files.move(partial, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        log.info("Trained the team server's AOT cache {} in {} ms", cache, (System.nanoTime() - started) / 1_000_000);
        return java.util.Optional.of(cache);
    }
}
