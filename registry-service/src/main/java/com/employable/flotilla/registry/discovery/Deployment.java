package com.employable.flotilla.registry.discovery;

import com.employable.flotilla.common.events.server.Endpoint;
import java.time.Instant;
import java.util.List;

/**
 * The newest provisioned or updated shape of a team's server: where it answers and which machines it consists of.
 *
 * @param key where the event sits in the team's history
 * @param occurredAt when the provisioner observed this shape; machine evidence older than this and not listed here
 * belongs to a previous shape
 * @param app the Fly app the server runs in: the team's own or a claimed warm-pool app (validated when applied)
 * @param region the region its machines run in
 * @param network the app's private network
 * @param endpoint where the server answers
 * @param image the image, pinned by digest
 * @param machineIds the machines of this shape
 */
record Deployment(
        OrderKey key,
        Instant occurredAt,
        String app,
        String region,
        String network,
        Endpoint endpoint,
        String image,
        List<String> machineIds) {

    Deployment {
        machineIds = List.copyOf(machineIds);
    }
}
