package com.employable.flotilla.registry.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.util.FileSystemUtils;

/**
 * Debian's nginx as a plain reverse proxy in front of one loopback port, for benches: the cost of one hop of a fast
 * proxy, next to the Java hops measured on the same machine. Keep-alive to the upstream (a pool of idle connections,
 * HTTP/1.1), answers streamed as they come (no proxy buffering, as local-fly and the gateway stream), no access log,
 * one worker per core. Its configuration and files live under {@code dir}; {@link #close} stops it.
 */
public final class NginxProxy implements AutoCloseable {

    private final Process process;

    private final int port;

    private NginxProxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** @param host the Host header the upstream is sent (what a client going there directly would send) */
    public static NginxProxy start(Path dir, int upstreamPort, String host) throws IOException {
        Path root = dir.toAbsolutePath();
        FileSystemUtils.deleteRecursively(root);
        Files.createDirectories(root.resolve("tmp"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        Files.writeString(root.resolve("nginx.conf"), """
                %s
                worker_processes auto;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_body_temp_path %s/tmp;
                    proxy_temp_path %s/tmp;
                    fastcgi_temp_path %s/tmp;
                    uwsgi_temp_path %s/tmp;
                    scgi_temp_path %s/tmp;
                    upstream team_server {
                        server 127.0.0.1:%d;
                        keepalive 64;
                    }
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            proxy_pass http://team_server;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host %s;
                            proxy_buffering off;
                        }
                    }
                }
                """.formatted(
                asRoot ? "user root;" : "", root, root, root, root, root, root, root, upstreamPort, port, host));
        Process process = new ProcessBuilder(
                        "nginx",
                        "-p",
                        root.toString(),
                        "-c",
                        root.resolve("nginx.conf").toString(),
                        "-g",
                        "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("nginx.out").toFile())
                .start();
        int listening = port;
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            try (Socket probe = new Socket("127.0.0.1", listening)) {
                return true;
            }
        });
        return new NginxProxy(process, port);
    }

    public static String version() throws IOException, InterruptedException {
        Process version =
                new ProcessBuilder("nginx", "-v").redirectErrorStream(true).start();
        String out = new String(version.getInputStream().readAllBytes()).strip();
        version.waitFor();
        return out.replace("nginx version: nginx/", "");
    }

    public int port() {
        return port;
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public void close() {
        process.destroy();
    }
}
