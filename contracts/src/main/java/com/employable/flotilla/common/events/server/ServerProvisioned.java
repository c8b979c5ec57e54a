package com.employable.flotilla.common.events.server;

import com.employable.flotilla.common.events.Require;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * {@code com.employable.flotilla.server.provisioned.v1}: the team's server exists and its machines reached started.
 *
 * @param teamId the team
 * @param teamRevision the team revision this state satisfies
 * @param app the team's Fly app
 * @param region the region the machines run in (after any capacity fallback)
 * @param network the app's own private network
 * @param endpoint where the server answers
 * @param machines the machines, with their state and size
 * @param image the image reference, pinned by digest
 * @param occurredAt when the provisioner observed this state
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServerProvisioned(
        @JsonProperty(value = "teamId", required = true) String teamId,

        @JsonProperty(value = "teamRevision", required = true)
        long teamRevision,

        @JsonProperty(value = "app", required = true) String app,
        @JsonProperty(value = "region", required = true) String region,
        @JsonProperty(value = "network", required = true) String network,
        @JsonProperty(value = "endpoint", required = true) Endpoint endpoint,
        @JsonProperty(value = "machines", required = true) List<ProvisionedMachine> machines,
        @JsonProperty(value = "image", required = true) String image,
        @JsonProperty(value = "occurredAt", required = true) Instant occurredAt)
        implements ServerLifecycleEvent {

    public static final String TYPE = "com.employable.flotilla.server.provisioned.v1";

    public ServerProvisioned {
        Require.teamId(teamId, "teamId");
        Require.positive(teamRevision, "teamRevision");
        Require.text(app, "app");
        Require.text(region, "region");
        Require.text(network, "network");
        Require.present(endpoint, "endpoint");
        machines = Require.list(machines, "machines");
        Require.text(image, "image");
        Require.present(occurredAt, "occurredAt");
    }
}
