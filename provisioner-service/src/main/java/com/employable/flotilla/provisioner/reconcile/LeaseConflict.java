package com.employable.flotilla.provisioner.reconcile;

/** Someone else (or a crashed earlier run) holds a machine's lease: nothing was changed, try again shortly. */
final class LeaseConflict extends RuntimeException {

    LeaseConflict(String machineId) {
        super("machine " + machineId + " is leased by someone else", null, false, false);
    }
}
