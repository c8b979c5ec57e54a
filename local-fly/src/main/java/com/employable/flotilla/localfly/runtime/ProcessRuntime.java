package com.employable.flotilla.localfly.runtime;

import com.employable.flotilla.localfly.machines.MachineRuntime;
import com.employable.flotilla.localfly.machines.MachineView;
import com.employable.flotilla.localfly.machines.RuntimeEvents;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each machine is a real local process: its image maps to a command, it gets the machine's env and the app's secrets
 * plus {@code PORT} (a free loopback port) and {@code FLOTILLA_BIND=127.0.0.1}, and it is {@code started} once it
 * accepts connections on that port. Output goes to {@code <data dir>/machines/<id>/log}. A process that exits by
 * itself is reported, and the machine resource applies the machine's restart policy.
 */
public final class ProcessRuntime implements MachineRuntime {

    private static final Logger log = LoggerFactory.getLogger(ProcessRuntime.class);
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);

    private final ImageMap images;
    private final Path dataDir;
    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "machine-process");
        thread.setDaemon(true);
        return thread;
    });

    public ProcessRuntime(ImageMap images, Path dataDir) {
        this.images = images;
        this.dataDir = dataDir;
    }

    @Override
    public void boot(RuntimeEvents events, MachineView machine, long generation, Map<String, String> env) {
        String image = machine.config().path("image").asString();
        Optional<List<String>> command = images.command(image);
        String id = machine.id();
        workers.execute(() -> {
            if (command.isEmpty()) {
                log.warn("No command for image {} (machine {}): see LOCAL_FLY_IMAGE_MAP", image, id);
                events.exited(id, generation, 127);
                return;
            }
            try {
                int port = freePort();
                Path dir = Files.createDirectories(dataDir.resolve("machines").resolve(id));
                var builder = new ProcessBuilder(command.get())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(
                                dir.resolve("log").toFile()));
                builder.environment().putAll(env);
                builder.environment().put("PORT", Integer.toString(port));
                builder.environment().put("FLOTILLA_BIND", "127.0.0.1");
                Process process = builder.start();
                Process previous = processes.put(id, process);
                if (previous != null) {
                    previous.destroyForcibly();
                }
                process.onExit().thenAccept(ended -> {
                    processes.remove(id, ended);
                    events.exited(id, generation, ended.exitValue());
                });
                long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
                while (process.isAlive() && System.nanoTime() < deadline) {
                    if (listening(port)) {
                        events.booted(id, generation, port);
                        return;
                    }
                    Thread.sleep(25);
                }
                if (process.isAlive()) {
                    log.warn("Machine {} did not listen on {} within {}", id, port, BOOT_TIMEOUT);
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                log.warn("Machine {} could not start its process: {}", id, e.toString());
                events.exited(id, generation, 126);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void halt(RuntimeEvents events, MachineView machine, long generation, Duration grace) {
        String id = machine.id();
        Process process = processes.remove(id);
        workers.execute(() -> {
            if (process != null) {
                process.destroy();
                try {
                    if (!process.waitFor(Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS)) {
                        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            events.halted(id, generation);
        });
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        processes.values().forEach(Process::destroy);
        for (Process process : processes.values()) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        workers.shutdownNow();
    }
}
