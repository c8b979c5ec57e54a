package com.employable.flotilla.localfly.machines;

import java.util.List;

/**
 * Every state a machine has been in, oldest first, from its creation ({@code created}) to now or its destruction.
 *
 * @param dropped how many of its oldest changes were dropped to bound memory (0 unless it changed state very often)
 */
public record MachineTimeline(String id, String appName, String region, List<StateChange> changes, long dropped) {}
