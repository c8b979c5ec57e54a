package com.employable.flotilla.localfly.machines;

import java.time.Instant;

/**
 * One run of a started machine, from the start that began it until it stops, suspends or restarts: what flyd's check
 * loop follows. A resume or a restart is a new boot (a new {@code start} event).
 *
 * @param eventId the id of the {@code start}/{@code started} event that began this run
 * @param at when it began
 * @param port loopback port of the machine's process (process runtime), 0 when there is none (simulated)
 */
public record MachineBoot(String machineId, String privateIp, String eventId, Instant at, int port) {}
