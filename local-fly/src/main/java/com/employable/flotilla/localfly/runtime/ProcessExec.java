package com.employable.flotilla.localfly.runtime;

import com.employable.flotilla.localfly.machines.ExecResult;
import com.employable.flotilla.localfly.machines.MachineView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Fly's exec for a machine that is a local process: the command runs beside it, with the environment the machine's
 * process got (its env, the app's secrets, Fly's variables, and its {@code PORT} and {@code FLOTILLA_BIND}) and the request's
 * {@code stdin}, in the
 * machine's data directory, so {@code 127.0.0.1:$PORT} is the machine's own server as {@code localhost:8080} is on
 * Fly. Output is collected through files (no pipe can fill and stall the command).
 */
final class ProcessExec {

    private ProcessExec() {}

    static Optional<ExecResult> run(
            Path machineDir,
            MachineView machine,
            Map<String, String> env,
            List<String> command,
            String stdin,
            Duration timeout) {
        try {
            Files.createDirectories(machineDir);
            Path out = Files.createTempFile(machineDir, "exec", ".out");
            Path err = Files.createTempFile(machineDir, "exec", ".err");
            try {
                var builder = new ProcessBuilder(command)
                        .directory(machineDir.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                builder.environment().putAll(env);
                builder.environment().put("PORT", Integer.toString(machine.port()));
                builder.environment().put("FLOTILLA_BIND", "127.0.0.1");
                if (stdin == null) {
                    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                }
                Process process = builder.start();
                if (stdin != null) {
                    // small (an identity file): written whole before waiting, then closed so the command sees EOF
                    try (var input = process.getOutputStream()) {
                        input.write(stdin.getBytes(StandardCharsets.UTF_8));
                    } catch (IOException closedEarly) {
                        // the command exited without reading all of it: its exit code tells
                    }
                }
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    return Optional.empty();
                }
                return Optional.of(new ExecResult(
                        process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8)));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            // Fly runs the command in the machine; one that cannot be started answers like a shell: 127
            return Optional.of(new ExecResult(127, "", e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
