package com.employable.flotilla.localfly.machines;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Fly's proxy does to idle machines. Only what the proxy routes counts as activity ({@link #requestStarted}):
 * the Fly-Proxy emulation's public and Flycast-style routes call it, the Machines API and the private network route
 * never do. A machine is idle while no proxied request is in flight (Fly's "load of 0") and none ended within the
 * idle window. Each pass stops or suspends, per its service's {@link ProxyPolicy}, at most one idle machine per app
 * and region (Fly: "stopping or suspending only one Machine per region, if needed, each time"), never leaving fewer
 * started machines in the app than the service's {@code min_machines_running} (Fly counts those in the app's primary
 * region; local-fly has no primary region).
 */
public final class Autostop {

    private static final Logger log = LoggerFactory.getLogger(Autostop.class);

    private final MachineTable table;

    Autostop(MachineTable table) {
        this.table = table;
    }

    /** A request the proxy routes to the machine: busy until the returned handle is closed. */
    public Activity requestStarted(String machineId) {
        table.locked(() -> {
            Machine machine = table.live.get(machineId);
            if (machine != null) {
                machine.inFlight++;
                machine.lastRequestAt = table.clock.instant();
            }
            return null;
        });
        return () -> table.locked(() -> {
            Machine machine = table.live.get(machineId);
            if (machine != null) {
                machine.inFlight = Math.max(0, machine.inFlight - 1);
                machine.lastRequestAt = table.clock.instant();
            }
            return null;
        });
    }

    /** One proxied request's hold on its machine. */
    @FunctionalInterface
    public interface Activity extends AutoCloseable {
        @Override
        void close();
    }

    /** One pass of the proxy's idle check. @return how many machines it stopped or suspended */
    public int stopIdle(Duration idle) {
        return table.locked(() -> {
            Instant cutoff = table.clock.instant().minus(idle);
            Map<String, List<Machine>> byApp = new TreeMap<>();
            table.live
                    .values()
                    .forEach(m -> byApp.computeIfAbsent(m.appName, k -> new ArrayList<>())
                            .add(m));
            int stopped = 0;
            for (List<Machine> appMachines : byApp.values()) {
                long running = appMachines.stream().filter(m -> m.is("started")).count();
                Set<String> regionsDone = new HashSet<>();
                for (Machine machine : appMachines) {
                    ProxyPolicy policy = ProxyPolicy.of(machine.config);
                    if (machine.is("started")
                            && policy.stopsIdle()
                            && running > policy.minRunning()
                            && !regionsDone.contains(machine.region)
                            && idleSince(machine, cutoff)) {
                        boolean suspend = "suspend".equals(policy.autostop());
                        log.info(
                                "Autostop: {} machine {} of {}, no proxied request for {} s",
                                policy.autostop(),
                                machine.id,
                                machine.appName,
                                idle.toSeconds());
                        table.halt(machine, suspend ? "suspended" : "stopped", suspend ? "suspending" : "stopping");
                        regionsDone.add(machine.region);
                        running--;
                        stopped++;
                    }
                }
            }
            return stopped;
        });
    }

    private static boolean idleSince(Machine machine, Instant cutoff) {
        // counted from its last proxied request, or from when it started if that came later (a wake by the API)
        Instant last = machine.lastRequestAt == null || machine.lastRequestAt.isBefore(machine.updatedAt)
                ? machine.updatedAt
                : machine.lastRequestAt;
        return machine.inFlight == 0 && last.isBefore(cutoff);
    }
}
