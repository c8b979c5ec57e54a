package com.employable.flotilla.localfly.runtime;

import com.employable.flotilla.localfly.machines.ExecResult;
import com.employable.flotilla.localfly.machines.MachineRuntime;
import com.employable.flotilla.localfly.machines.MachineView;
import com.employable.flotilla.localfly.machines.RuntimeEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * No processes: each move of a machine completes after its {@link SimulatedLatencies latency} (a first boot, a
 * start, a resume, the boot after an update, a stop, a suspend), for tests and benchmarks with thousands of
 * machines. A simulated machine serves no requests.
 */
public final class SimulatedRuntime implements MachineRuntime {

    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "simulated-machines");
        thread.setDaemon(true);
        return thread;
    });
    private final SimulatedLatencies latencies;

    public SimulatedRuntime(SimulatedLatencies latencies) {
        this.latencies = latencies;
    }

    @Override
    public void boot(RuntimeEvents events, MachineView machine, long generation, Map<String, String> env) {
        booted(events, machine, generation, bootLatency(machine));
    }

    @Override
    public void resume(RuntimeEvents events, MachineView machine, long generation, Map<String, String> env) {
        booted(events, machine, generation, latencies.resume());
    }

    private void booted(RuntimeEvents events, MachineView machine, long generation, Duration latency) {
        timer.schedule(() -> events.booted(machine.id(), generation, 0), latency.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Where the machine comes from is in its event log: the newest event is the "starting" just recorded. */
    private Duration bootLatency(MachineView machine) {
        var events = machine.events();
        String previous = events.size() < 2 ? "created" : events.get(1).status();
        return switch (previous) {
            case "created" -> latencies.create();
            case "updating" -> latencies.update();
            default -> latencies.start();
        };
    }

    @Override
    public void halt(RuntimeEvents events, MachineView machine, long generation, Duration grace) {
        halted(events, machine, generation, latencies.stop());
    }

    @Override
    public void suspend(RuntimeEvents events, MachineView machine, long generation) {
        halted(events, machine, generation, latencies.suspend());
    }

    /** A simulated machine runs nothing: the command succeeds, after the exec latency (a timeout is honoured). */
    @Override
    public Optional<ExecResult> exec(
            MachineView machine, Map<String, String> env, List<String> command, String stdin, Duration timeout) {
        Duration wait = latencies.exec().compareTo(timeout) > 0 ? timeout : latencies.exec();
        LockSupport.parkNanos(wait.toNanos());
        return latencies.exec().compareTo(timeout) > 0 ? Optional.empty() : Optional.of(new ExecResult(0, "", ""));
    }

    private void halted(RuntimeEvents events, MachineView machine, long generation, Duration latency) {
        timer.schedule(() -> events.halted(machine.id(), generation), latency.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
