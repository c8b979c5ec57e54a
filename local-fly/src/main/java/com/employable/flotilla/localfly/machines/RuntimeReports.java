package com.employable.flotilla.localfly.machines;

/**
 * Applies what the runtime reports to the state machine: a boot that serves, a process that ended by itself (the
 * restart policy decides what follows), a requested halt that is done.
 */
final class RuntimeReports implements RuntimeEvents {

    private final MachineTable table;

    RuntimeReports(MachineTable table) {
        this.table = table;
    }

    @Override
    public void booted(String machineId, long generation, int port) {
        table.locked(() -> {
            Machine machine = table.live.get(machineId);
            if (machine == null || machine.generation != generation || !machine.is("starting")) {
                return null;
            }
            machine.port = port;
            table.transition(machine, "started");
            table.event(machine, "start", "started", "flyd");
            return null;
        });
    }

    @Override
    public void exited(String machineId, long generation, int exitCode) {
        table.locked(() -> {
            Machine machine = table.live.get(machineId);
            if (machine == null || machine.generation != generation || machine.haltRequested) {
                return null;
            }
            machine.port = 0;
            table.event(machine, "exit", exitCode == 0 ? "stopped" : "failed", "flyd");
            if (machine.is("starting")) {
                table.transition(machine, "failed");
                table.event(machine, "launch", "failed", "flyd");
                return null;
            }
            if (restartsAfter(machine, exitCode)) {
                machine.restarts++;
                table.boot(machine);
            } else {
                table.transition(machine, exitCode == 0 ? "stopped" : "failed");
            }
            return null;
        });
    }

    /** Fly's {@code restart.policy}: {@code always} by default, {@code on-failure} up to its retries, {@code no}. */
    private static boolean restartsAfter(Machine machine, int exitCode) {
        String policy = machine.config.path("restart").path("policy").asString("always");
        int maxRetries = machine.config.path("restart").path("max_retries").asInt(10);
        return "always".equals(policy)
                || ("on-failure".equals(policy) && exitCode != 0 && machine.restarts < maxRetries);
    }

    @Override
    public void halted(String machineId, long generation) {
        table.locked(() -> {
            Machine machine = table.live.get(machineId);
            if (machine == null || machine.generation != generation) {
                return null;
            }
            machine.port = 0;
            String after = machine.afterHalt;
            machine.afterHalt = null;
            if ("restart".equals(after)) {
                table.boot(machine);
            } else if (after != null) {
                table.transition(machine, after);
                table.event(machine, "exit", after, "user");
            }
            return null;
        });
    }
}
