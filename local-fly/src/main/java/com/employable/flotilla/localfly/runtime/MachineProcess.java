package com.employable.flotilla.localfly.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One machine's process and what may be done to it: freeze it (its memory stays, as in Fly's suspend), thaw it, end
 * it. Freezing and ending are serialised on this object, so a process being ended is never frozen again and a frozen
 * one is never left frozen by an end: a stopped process cannot act on SIGTERM until it is continued.
 */
final class MachineProcess {

    private static final Logger log = LoggerFactory.getLogger(MachineProcess.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final String machineId;
    private final Process process;
    private final int port;
    /** The boot or resume the process serves now, so an exit is reported against the right one. */
    private volatile long generation;

    private boolean frozen;
    private boolean ending;

    MachineProcess(String machineId, Process process, int port, long generation) {
        this.machineId = machineId;
        this.process = process;
        this.port = port;
        this.generation = generation;
    }

    Process process() {
        return process;
    }

    int port() {
        return port;
    }

    long generation() {
        return generation;
    }

    /** SIGSTOP to the process and its descendants; its exits from now on belong to {@code suspension}. */
    synchronized void freeze(long suspension) {
        generation = suspension;
        if (ending || !process.isAlive()) {
            return;
        }
        frozen = signal("STOP");
    }

    /**
     * SIGCONT, and the process serves {@code resumption} from now on.
     *
     * @return false when there is nothing to continue: the process died while frozen, or it is being ended
     */
    synchronized boolean thaw(long resumption) {
        if (ending || !frozen || !process.isAlive()) {
            return false;
        }
        generation = resumption;
        frozen = !signal("CONT");
        return !frozen;
    }

    /** Whether it is being ended: then a failed thaw is no reason to boot a replacement. */
    synchronized boolean ending() {
        return ending;
    }

    /** SIGTERM (continued first if frozen, so it can act on it), SIGKILL after {@code grace}. */
    void end(Duration grace) {
        terminate();
        try {
            if (!process.waitFor(Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Asks the process to end without waiting. */
    synchronized void terminate() {
        ending = true;
        process.destroy();
        if (frozen) {
            frozen = !signal("CONT");
        }
    }

    /** SIGKILL, which ends a frozen process as well: a discarded snapshot never runs again. */
    synchronized void kill() {
        ending = true;
        process.destroyForcibly();
        frozen = false;
    }

    /** The JDK cannot send SIGSTOP or SIGCONT, so {@code kill} does, to the process and any children it started. */
    private boolean signal(String signal) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal, Long.toString(process.pid())));
        process.descendants().forEach(child -> command.add(Long.toString(child.pid())));
        try {
            Process kill = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill.destroyForcibly();
                log.warn("Machine {}: kill -{} {} did not return", machineId, signal, process.pid());
                return false;
            }
            // a child that ended meanwhile fails kill's exit code, yet the machine's own process got the signal
            return kill.exitValue() == 0 || process.isAlive();
        } catch (IOException e) {
            log.warn("Machine {}: could not send SIG{}: {}", machineId, signal, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
