package com.employable.flotilla.localfly.machines;

import com.employable.flotilla.localfly.error.FlyError;

/**
 * Start, stop, suspend, restart: each checks the lease, then the state it applies to (412 otherwise, in Fly's
 * words), and leaves the machine in a transient state the runtime's report completes.
 */
public final class MachineActions {

    private final MachineTable table;

    MachineActions(MachineTable table) {
        this.table = table;
    }

    /** @return the state it started from */
    public String start(String appName, String id, String nonce) {
        return table.locked(() -> {
            Machine machine = leased(appName, id, nonce);
            String previous = machine.state;
            if (!MachineTable.STARTABLE.contains(previous)) {
                throw new FlyError(412, "unable to start machine from current state: '" + previous + "'");
            }
            table.start(machine);
            return previous;
        });
    }

    public void stop(String appName, String id, String nonce) {
        table.locked(() -> {
            Machine machine = leased(appName, id, nonce);
            switch (machine.state) {
                case "started", "starting" -> table.halt(machine, "stopped", "stopping");
                // stopping a suspended machine discards its snapshot
                case "suspended" -> {
                    table.discardSnapshot(machine);
                    table.transition(machine, "stopped");
                }
                default ->
                    throw new FlyError(412, "unable to stop machine from current state: '" + machine.state + "'");
            }
            return null;
        });
    }

    public void suspend(String appName, String id, String nonce) {
        haltStarted(appName, id, nonce, "suspend", "suspended", "suspending");
    }

    public void restart(String appName, String id, String nonce) {
        haltStarted(appName, id, nonce, "restart", "restart", "restarting");
    }

    /** Suspend and restart both act on a started machine only, passing through a transient state. */
    private void haltStarted(
            String appName, String id, String nonce, String action, String target, String passingThrough) {
        table.locked(() -> {
            Machine machine = leased(appName, id, nonce);
            if (!machine.is("started")) {
                throw new FlyError(412, "unable to " + action + " machine from current state: '" + machine.state + "'");
            }
            table.halt(machine, target, passingThrough);
            return null;
        });
    }

    /** The live machine, if {@code nonce} may act on it (409 while another holds its lease). */
    private Machine leased(String appName, String id, String nonce) {
        Machine machine = table.require(appName, id, false);
        table.leases.check(id, nonce);
        return machine;
    }
}
