package com.employable.flotilla.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts components as detached processes and remembers their PIDs under {@code .flotilla/pids}, so that
 * {@code down} stops exactly what devstack started and nothing else.
 */
final class Processes {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path pids;
    private final Path logs;

    Processes(Path home) throws IOException {
        this.pids = Files.createDirectories(home.resolve("pids"));
        this.logs = Files.createDirectories(home.resolve("logs"));
    }

    Path log(String name) {
        return logs.resolve(name + ".log");
    }

    Optional<ProcessHandle> running(String name) {
        Path file = pids.resolve(name + ".pid");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(file).trim());
            // a reused PID belongs to someone else: only a java process we started counts
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().command().map(c -> c.contains("java")).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Starts the component unless it already runs; returns true when this call started it. */
    boolean start(Component c) throws IOException {
        if (running(c.name()).isPresent()) {
            return false;
        }
        ProcessBuilder pb = new ProcessBuilder(c.command());
        pb.environment().putAll(c.env());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log(c.name()).toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        Files.writeString(pids.resolve(c.name() + ".pid"), Long.toString(p.pid()));
        return true;
    }

    /** SIGTERM, then SIGKILL after a grace period; children (e.g. team servers) go with their parent. */
    boolean stop(String name) {
        Optional<ProcessHandle> handle = running(name);
        handle.ifPresent(h -> {
            var children = h.descendants().toList();
            h.destroy();
            try {
                h.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        });
        try {
            Files.deleteIfExists(pids.resolve(name + ".pid"));
        } catch (IOException ignored) {
            // nothing to clean
        }
        return handle.isPresent();
    }

    static boolean ready(String url) {
        try {
            if (url.startsWith("tcp://")) {
                URI u = URI.create(url);
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 1000);
                    return true;
                }
            }
            HttpResponse<Void> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() / 100 == 2;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
