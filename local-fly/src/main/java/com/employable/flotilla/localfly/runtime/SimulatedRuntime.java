package com.employable.flotilla.localfly.runtime;

import com.employable.flotilla.localfly.machines.MachineRuntime;
import com.employable.flotilla.localfly.machines.MachineView;
import com.employable.flotilla.localfly.machines.RuntimeEvents;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * No processes: state transitions happen after latencies close to Fly's (first boot ~2 s, start from stopped
 * ~300 ms, resume ~200 ms, stop ~200 ms), for tests and benchmarks with thousands of machines.
 */
public final class SimulatedRuntime implements MachineRuntime {

    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "simulated-machines");
        thread.setDaemon(true);
        return thread;
    });
    private final Duration firstBoot;
    private final Duration start;
    private final Duration resume;
    private final Duration halt;

    public SimulatedRuntime(Duration firstBoot, Duration start, Duration resume, Duration halt) {
        this.firstBoot = firstBoot;
        this.start = start;
        this.resume = resume;
        this.halt = halt;
    }

    @Override
    public void boot(RuntimeEvents events, MachineView machine, long generation, Map<String, String> env) {
        // the previous state is still visible in the machine's event log
        Duration latency = machine.config() == null ? start : bootLatency(machine);
        timer.schedule(() -> events.booted(machine.id(), generation, 0), latency.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Duration bootLatency(MachineView machine) {
        return switch (previousState(machine)) {
            case "created" -> firstBoot;
            case "suspended" -> resume;
            default -> start;
        };
    }

    private static String previousState(MachineView machine) {
        // the newest event is the "starting" one just recorded; the one before tells where the machine came from
        var events = machine.events();
        return events.size() < 2 ? "created" : events.get(1).status();
    }

    @Override
    public void halt(RuntimeEvents events, MachineView machine, long generation, Duration grace) {
        timer.schedule(() -> events.halted(machine.id(), generation), halt.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
