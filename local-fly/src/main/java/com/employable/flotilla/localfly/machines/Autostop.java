package com.employable.flotilla.localfly.machines;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** What Fly's proxy does to idle machines: stop or suspend them, down to the service's minimum running. */
public final class Autostop {

    private final MachineTable table;

    Autostop(MachineTable table) {
        this.table = table;
    }

    /** Fly's proxy saw traffic for the machine: idleness counts from now. */
    public void touched(String machineId) {
        table.locked(() -> {
            Machine machine = table.live.get(machineId);
            if (machine != null) {
                machine.lastRequestAt = table.clock.instant();
            }
            return null;
        });
    }

    /** @return how many machines it stopped or suspended */
    public int stopIdle(Duration idle) {
        return table.locked(() -> {
            int stopped = 0;
            Instant cutoff = table.clock.instant().minus(idle);
            Map<String, List<Machine>> byApp = new TreeMap<>();
            table.live
                    .values()
                    .forEach(m -> byApp.computeIfAbsent(m.appName, k -> new ArrayList<>())
                            .add(m));
            for (List<Machine> appMachines : byApp.values()) {
                long running = appMachines.stream().filter(m -> m.is("started")).count();
                for (Machine machine : appMachines) {
                    JsonNode service = machine.config.path("services").path(0);
                    // the Machines API's name; autostop_machines is accepted from configs written before
                    String mode = mode(
                            service.has("autostop") ? service.path("autostop") : service.path("autostop_machines"));
                    int minRunning = service.path("min_machines_running").asInt(0);
                    Instant last = machine.lastRequestAt == null ? machine.updatedAt : machine.lastRequestAt;
                    if (machine.is("started") && !"off".equals(mode) && running > minRunning && last.isBefore(cutoff)) {
                        boolean suspend = "suspend".equals(mode);
                        table.halt(machine, suspend ? "suspended" : "stopped", suspend ? "suspending" : "stopping");
                        running--;
                        stopped++;
                    }
                }
            }
            return stopped;
        });
    }

    /** {@code autostop} is a boolean in older configs, {@code off|stop|suspend} in newer ones. */
    static String mode(JsonNode value) {
        if (value.isBoolean()) {
            return value.asBoolean() ? "stop" : "off";
        }
        return value.isString() ? value.asString() : "off";
    }
}
