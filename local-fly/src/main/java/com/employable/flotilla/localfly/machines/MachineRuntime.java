package com.employable.flotilla.localfly.machines;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What actually runs a machine. Every operation is asynchronous and reports back through {@link RuntimeEvents}; the
 * machine resource owns every state change. They are called while the machine resource's lock is held, so they
 * must not block.
 *
 * <p>A runtime that cannot keep a machine's memory takes the defaults: a suspend is a halt and a resume a boot, which
 * is what Fly does too when a snapshot cannot be restored.
 */
public interface MachineRuntime extends AutoCloseable {

    /** A cold boot: a fresh process from the machine's config, replacing any snapshot the machine kept. */
    void boot(RuntimeEvents events, MachineView machine, long generation, Map<String, String> env);

    /** Ends the machine's process, with {@code grace} between the polite signal and the forceful one. */
    void halt(RuntimeEvents events, MachineView machine, long generation, Duration grace);

    /** Keeps the machine's memory and stops it running; reports {@link RuntimeEvents#halted} once frozen. */
    default void suspend(RuntimeEvents events, MachineView machine, long generation) {
        halt(events, machine, generation, Duration.ofSeconds(10));
    }

    /** Runs a suspended machine again from its snapshot, or boots it cold ({@code env}) when there is none. */
    default void resume(RuntimeEvents events, MachineView machine, long generation, Map<String, String> env) {
        boot(events, machine, generation, env);
    }

    /**
     * Runs a command inside a started machine, as Fly's exec does, with the machine's environment and {@code stdin} (null: none) on its standard input; blocks for at most
     * {@code timeout} and is called without the lock. A runtime without processes (simulated) runs nothing: the
     * command succeeds with no output.
     *
     * @return empty when the command did not end within the timeout
     */
    default java.util.Optional<ExecResult> exec(
            MachineView machine, Map<String, String> env, List<String> command, String stdin, Duration timeout) {
        return java.util.Optional.of(new ExecResult(0, "", ""));
    }

    /** Drops a suspended machine's snapshot without running it again (stop, update or destroy of a suspended one). */
    default void discardSnapshot(MachineView machine) {}

    @Override
    void close();
}
