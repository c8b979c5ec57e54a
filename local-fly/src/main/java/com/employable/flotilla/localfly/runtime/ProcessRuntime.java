package com.employable.flotilla.localfly.runtime;

import com.employable.flotilla.localfly.machines.ExecResult;
import com.employable.flotilla.localfly.machines.MachineRuntime;
import com.employable.flotilla.localfly.machines.MachineView;
import com.employable.flotilla.localfly.machines.RuntimeEvents;
import java.io.IOException;
import java.net.InetAddress;
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
 *
 * <p>Suspend freezes the process (SIGSTOP) and resume continues it (SIGCONT): its memory, its port and its sessions
 * survive, and a resume takes milliseconds instead of a JVM start, as a Fly snapshot restore does. A frozen process
 * whose snapshot is discarded is killed; one that died while frozen boots cold on resume, as Fly does when a
 * snapshot cannot be restored.
 */
public final class ProcessRuntime implements MachineRuntime {

    private static final Logger log = LoggerFactory.getLogger(ProcessRuntime.class);
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final ImageMap images;
    private final Path dataDir;
    private final Map<String, MachineProcess> processes = new ConcurrentHashMap<>();
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
        workers.execute(() -> launch(events, machine.id(), image, generation, env));
    }

    @Override
    public void halt(RuntimeEvents events, MachineView machine, long generation, Duration grace) {
        String id = machine.id();
        MachineProcess running = processes.remove(id);
        workers.execute(() -> {
            if (running != null) {
                running.end(grace);
            }
            events.halted(id, generation);
        });
    }

    @Override
    public void suspend(RuntimeEvents events, MachineView machine, long generation) {
        String id = machine.id();
        MachineProcess running = processes.get(id);
        workers.execute(() -> {
            if (running != null) {
                running.freeze(generation);
            }
            events.halted(id, generation);
        });
    }

    @Override
    public void resume(RuntimeEvents events, MachineView machine, long generation, Map<String, String> env) {
        String id = machine.id();
        String image = machine.config().path("image").asString();
        MachineProcess frozen = processes.get(id);
        workers.execute(() -> {
            if (frozen != null && frozen.thaw(generation)) {
                events.booted(id, generation, frozen.port());
            } else if (frozen == null || !frozen.ending()) {
                log.info("Machine {} has no snapshot to resume: cold boot", id);
                launch(events, id, image, generation, env);
            }
        });
    }

    @Override
    public Optional<ExecResult> exec(
            MachineView machine, Map<String, String> env, List<String> command, String stdin, Duration timeout) {
        return ProcessExec.run(
                dataDir.resolve("machines").resolve(machine.id()), machine, env, command, stdin, timeout);
    }

    @Override
    public void discardSnapshot(MachineView machine) {
        MachineProcess frozen = processes.remove(machine.id());
        if (frozen != null) {
            workers.execute(frozen::kill);
        }
    }

    private void launch(RuntimeEvents events, String id, String image, long generation, Map<String, String> env) {
        Optional<List<String>> command = images.command(image);
        if (command.isEmpty()) {
            log.warn("No command for image {} (machine {}): see LOCAL_FLY_IMAGE_MAP", image, id);
            events.exited(id, generation, 127);
            return;
        }
        try {
            int port = freePort();
            Path dir = Files.createDirectories(dataDir.resolve("machines").resolve(id));
            freshRootFilesystem(dir);
            // each machine's process runs in its own directory, as a Fly machine has its own root filesystem: a
            // file an exec writes there (a warm-pool claim's identity) is the machine's own
            var builder = new ProcessBuilder(command.get())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(
                            ProcessBuilder.Redirect.appendTo(dir.resolve("log").toFile()));
            builder.environment().putAll(env);
            builder.environment().put("PORT", Integer.toString(port));
            builder.environment().put("FLOTILLA_BIND", "127.0.0.1");
            Process process = builder.start();
            MachineProcess started = new MachineProcess(id, process, port, generation);
            MachineProcess previous = processes.put(id, started);
            if (previous != null) {
                previous.kill();
            }
            process.onExit().thenAccept(ended -> {
                processes.remove(id, started);
                events.exited(id, started.generation(), ended.exitValue());
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
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Ends every process, frozen ones too (continued, so they can act on SIGTERM), and lets the halts already asked
     * for finish: a halt queued just before (local-fly's own shutdown halts every machine first) was dropped unrun by
     * {@code shutdownNow}, and its process outlived local-fly.
     */
    @Override
    public void close() {
        workers.shutdown();
        List<MachineProcess> remaining = List.copyOf(processes.values());
        processes.clear();
        remaining.forEach(MachineProcess::terminate);
        for (MachineProcess running : remaining) {
            try {
                if (!running.process().waitFor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    running.kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.kill();
            }
        }
        try {
            if (!workers.awaitTermination(CLOSE_GRACE.toMillis() * 2, TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
        // a boot that got its process started meanwhile
        processes.values().forEach(MachineProcess::kill);
    }

    /**
     * A boot (not a resume) starts from a clean root filesystem, as a Fly machine does unless its rootfs persists: what
     * an exec wrote while it ran is gone. Only the log, local-fly's own, stays.
     */
    private static void freshRootFilesystem(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                if (entry.getFileName().toString().equals("log")) {
                    continue;
                }
                try (var tree = Files.walk(entry)) {
                    for (Path path :
                            tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
    }
}
