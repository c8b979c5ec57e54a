package com.employable.flotilla.localfly.machines;

/**
 * What a {@link MachineRuntime} reports. Each report names the boot generation it belongs to, so a late report of
 * an earlier boot cannot touch a newer one.
 */
public interface RuntimeEvents {

    /** The machine's process serves (or the simulated boot finished). */
    void booted(String machineId, long generation, int port);

    /** The process ended by itself (not because it was asked to). */
    void exited(String machineId, long generation, int exitCode);

    /** A halt the machine resource asked for is done. */
    void halted(String machineId, long generation);
}
