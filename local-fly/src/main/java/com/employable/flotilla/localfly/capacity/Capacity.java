package com.employable.flotilla.localfly.capacity;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Machines allowed per region (regions not listed are unbounded): what makes a create fail with Fly's
 * {@code insufficient_capacity}. A concurrent map is its only state, so it takes no lock of its own.
 */
public final class Capacity {

    private final Map<String, Integer> machinesByRegion = new ConcurrentHashMap<>();

    public Capacity(Map<String, Integer> initial) {
        machinesByRegion.putAll(initial);
    }

    /** {@code null} makes the region unbounded again; 0 takes it out of capacity. */
    public void set(String region, Integer machinesAllowed) {
        if (machinesAllowed == null) {
            machinesByRegion.remove(region);
        } else {
            machinesByRegion.put(region, machinesAllowed);
        }
    }

    public Optional<Integer> limit(String region) {
        return Optional.ofNullable(machinesByRegion.get(region));
    }

    /** By region. */
    public Map<String, Integer> snapshot() {
        return new TreeMap<>(machinesByRegion);
    }
}
