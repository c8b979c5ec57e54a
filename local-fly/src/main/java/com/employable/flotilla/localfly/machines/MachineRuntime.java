package com.employable.flotilla.localfly.machines;

import java.time.Duration;
import java.util.Map;

/**
 * What actually runs a machine. Both operations are asynchronous and report back through {@link RuntimeEvents}; the
 * machine resource owns every state change. They are called while the machine resource's lock is held, so they
 * must not block.
 */
public interface MachineRuntime extends AutoCloseable {

    void boot(RuntimeEvents events, MachineView machine, long generation, Map<String, String> env);

    void halt(RuntimeEvents events, MachineView machine, long generation, Duration grace);

    @Override
    void close();
}
