package com.employable.flotilla.provisioner.reconcile;

import org.springframework.stereotype.Component;

import com.employable.flotilla.provisioner.fly.FlyMachines;

/** Machine repairs, under the same lease discipline as the reconciler's own mutations. */
@Component
public class Repairs {

    private final Reconciler reconciler;
    private final FlyMachines machines;

    Repairs(Reconciler reconciler, FlyMachines machines) {
        this.reconciler = reconciler;
        this.machines = machines;
    }

    public void restart(String app, String machineId) {
        reconciler.withLease(app, machineId, nonce -> machines.restart(app, machineId, nonce));
    }

    public void destroy(String app, String machineId) {
        reconciler.withLease(app, machineId, nonce -> machines.destroy(app, machineId, nonce));
    }
}
