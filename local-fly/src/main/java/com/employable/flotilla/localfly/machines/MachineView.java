package com.employable.flotilla.localfly.machines;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * A machine as it was when read, safe to use without the machine resource's lock: its config is its own copy.
 *
 * @param events newest first, as Fly lists them
 * @param port   loopback port of the machine's process (process runtime), 0 otherwise
 */
public record MachineView(
        String id,
        String appName,
        String name,
        String state,
        String region,
        String instanceId,
        String privateIp,
        Instant createdAt,
        Instant updatedAt,
        ObjectNode config,
        List<MachineEvent> events,
        int port) {}
