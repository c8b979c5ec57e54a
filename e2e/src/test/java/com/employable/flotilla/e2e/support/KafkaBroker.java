package com.employable.flotilla.e2e.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real single-node KRaft broker in a process of its own (devstack's {@code KafkaMain}, from devstack's build
 * classpath), for tests that restart the broker: {@link #kill()} is a crash, {@link #start()} brings it back on the
 * same port with the same data, as a broker restart in production does.
 */
public final class KafkaBroker implements AutoCloseable {

    private final Path dir;

    private final int port;

    private Process process;

    /** A new broker with no data: what an earlier run under the same name left is deleted first. */
    public KafkaBroker(String name) throws IOException {
        Path previous = Path.of("target", name).toAbsolutePath();
        if (Files.exists(previous)) {
            // a rerun of a seed would otherwise read its predecessor's events (same team ids, other machines)
            try (var files = Files.walk(previous)) {
                for (Path file :
                        files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        this.dir = Files.createDirectories(previous);
        int candidate;
        do {
            candidate = ServiceProcesses.freePort();
        } while (!free(candidate + 1));
        this.port = candidate;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public synchronized void start() throws IOException {
        Path devstack = ServiceProcesses.root().resolve("devstack/target");
        String classpath = devstack.resolve("classes")
                + java.io.File.pathSeparator
                + Files.readString(devstack.resolve("classpath.txt")).trim();
        Path log = Files.createDirectories(Path.of("target", "e2e-logs")).resolve(dir.getFileName() + ".log");
        process = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-cp",
                        classpath,
                        "com.employable.flotilla.devstack.KafkaMain",
                        dir.toString(),
                        Integer.toString(port)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> !free(port));
    }

    /** kill -9 of the broker. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            process.onExit().join();
        }
    }

    private static boolean free(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return false;
        } catch (IOException nobody) {
            return true;
        }
    }

    @Override
    public void close() {
        kill();
    }
}
