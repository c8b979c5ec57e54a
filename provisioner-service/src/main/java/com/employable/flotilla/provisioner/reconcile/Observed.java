package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.fly.FlyModel.App;
import com.employable.flotilla.provisioner.fly.FlyModel.IpAssignment;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.health.MachineHealth;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What exists for a team, read once at the start of a reconcile: its app, and when the app exists its IP
 * assignments, its machines (tagged with the team, or untagged, which are surplus) and health-service's verdicts on
 * them. A missing app has none of the rest.
 *
 * @param appCreated the pass itself created the app just now: it is known to have no addresses, machines or
 *                   secrets, so the resources after it go on without a new observation
 */
record Observed(
        Optional<App> app,
        List<IpAssignment> ips,
        List<Machine> machines,
        Map<String, MachineHealth> health,
        Instant at,
        boolean appCreated) {

    Observed {
        ips = List.copyOf(ips);
        machines = List.copyOf(machines);
        health = Map.copyOf(health);
    }

    Observed(
            Optional<App> app,
            List<IpAssignment> ips,
            List<Machine> machines,
            Map<String, MachineHealth> health,
            Instant at) {
        this(app, ips, machines, health, at, false);
    }

    static Observed noApp(Instant at) {
        return new Observed(Optional.empty(), List.of(), List.of(), Map.of(), at);
    }

    /** The app this pass created, on its own network: nothing in it yet. */
    Observed withCreatedApp(String name) {
        return new Observed(
                Optional.of(new App(null, name, null, name, null, 0)), List.of(), List.of(), health, at, true);
    }

    /** The same observation, with the machines read again after a step changed them. */
    Observed withMachines(List<Machine> read) {
        return new Observed(app, ips, read, health, at, appCreated);
    }

    Optional<Machine> machine(String machineId) {
        return machines.stream()
                .filter(machine -> machine.id().equals(machineId))
                .findFirst();
    }
}
