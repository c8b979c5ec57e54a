package com.employable.flotilla.provisioner.support;

import com.employable.flotilla.provisioner.fly.FlyCallListener;
import com.employable.flotilla.provisioner.fly.FlyProperties;
import com.employable.flotilla.provisioner.fly.FlyTransport;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * local-fly as the provisioner meets it in development: its own process, started from its jar through its documented
 * environment, answering the Fly Machines API on loopback. One per test JVM.
 */
public final class LocalFlyProcess {

    public static final String TOKEN = "provisioner-it-token";
    private static LocalFlyProcess instance;

    private final Process process;
    private final int apiPort;
    private final int proxyPort;

    private LocalFlyProcess(Process process, int apiPort, int proxyPort) {
        this.process = process;
        this.apiPort = apiPort;
        this.proxyPort = proxyPort;
    }

    /**
     * An operator's Fly client for {@code org} on the shared local-fly: how tests look at what the provisioner built,
     * with the same transport (limits, retries) the provisioner uses.
     */
    public static FlyTransport operatorClient(String org) {
        var properties = new FlyProperties(
                URI.create(shared(Map.of()).apiUrl()),
                TOKEN,
                org,
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                10,
                Duration.ofMillis(300),
                Duration.ofSeconds(13));
        return new FlyTransport(
                properties, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), FlyCallListener.NONE);
    }

    public static synchronized LocalFlyProcess shared(Map<String, String> extraEnv) {
        if (instance == null) {
            instance = start(extraEnv);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> instance.process.destroy()));
        }
        return instance;
    }

    private static LocalFlyProcess start(Map<String, String> extraEnv) {
        Path jar = Path.of(System.getProperty("flotilla.local-fly.jar", "../local-fly/target/local-fly.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(
                    "local-fly jar not found at " + jar.toAbsolutePath().normalize()
                            + ": build it (./mvnw -pl local-fly package) or set -Dflotilla.local-fly.jar");
        }
        try {
            int api = freePort();
            int proxy = freePort();
            Path dir = Files.createDirectories(Path.of("target", "local-fly-" + api));
            var builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx512m",
                            "-XX:TieredStopAtLevel=1",
                            "-jar",
                            jar.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("local-fly.log").toFile());
            builder.environment()
                    .putAll(Map.of(
                            "PORT",
                            Integer.toString(api),
                            "LOCAL_FLY_PROXY_PORT",
                            Integer.toString(proxy),
                            "LOCAL_FLY_TOKEN",
                            TOKEN,
                            "LOCAL_FLY_RUNTIME",
                            "simulated",
                            "LOCAL_FLY_DATA_DIR",
                            dir.toAbsolutePath().toString()));
            builder.environment().putAll(extraEnv);
            Process process = builder.start();
            var local = new LocalFlyProcess(process, api, proxy);
            local.awaitReady(dir);
            return local;
        } catch (IOException e) {
            throw new IllegalStateException("could not start local-fly", e);
        }
    }

    private void awaitReady(Path dir) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("local-fly exited; see " + dir.resolve("local-fly.log"));
            }
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(apiUrl() + "/healthz"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("local-fly not ready within 60 s; see " + dir.resolve("local-fly.log"));
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + apiPort;
    }

    public String proxyUrl() {
        return "http://127.0.0.1:" + proxyPort;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
