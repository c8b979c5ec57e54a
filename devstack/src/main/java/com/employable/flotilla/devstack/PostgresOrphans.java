package com.employable.flotilla.devstack;

import java.nio.file.Files;
import java.nio.file.Path;

/** A postmaster left behind by a killed holder process: its PID is the first line of postmaster.pid. */
final class PostgresOrphans {

    private PostgresOrphans() {}

    static void stop(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle.of(pid)
                    .filter(h ->
                            h.info().command().map(c -> c.contains("postgres")).orElse(false))
                    .ifPresent(h -> {
                        h.destroy();
                        h.onExit().join();
                    });
        } catch (Exception ignored) {
            // nothing left to stop
        }
    }
}
