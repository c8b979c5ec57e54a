package com.employable.flotilla.localfly.machines;

import java.time.Duration;
import java.util.Map;

/**
 * What actually runs a machine. Both operations are asynchronous and report back to the world, which owns every
 * state change: {@link FlyWorld#booted}, {@link FlyWorld#exited}, {@link FlyWorld#halted}.
 */
public interface MachineRuntime extends AutoCloseable {

    void boot(FlyWorld world, Machine machine, long generation, Map<String, String> env);

    void halt(FlyWorld world, Machine machine, long generation, Duration grace);

    @Override
    void close();
}
