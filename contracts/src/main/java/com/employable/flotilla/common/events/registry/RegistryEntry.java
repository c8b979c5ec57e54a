package com.employable.flotilla.common.events.registry;

import com.employable.flotilla.common.events.Require;
import com.employable.flotilla.common.events.server.Endpoint;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * {@code com.employable.flotilla.registry.entry.v1}: where a team's MCP server is and whether it is usable.
 *
 * @param teamId the team
 * @param status whether the server is usable
 * @param version monotonic per team; a reader keeps the entry with the highest version
 * @param endpoint where the server answers; absent before the first successful provisioning
 * @param machines the machines with state and health
 * @param region the region; absent before the first successful provisioning
 * @param updatedAt when the registry changed this entry
 * @param app the team's Fly app as the provisioner reported it (a cold create's {@code flotilla-team-<team>} or a
 * claimed warm-pool app); absent before the first successful provisioning and in entries of older registries
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegistryEntry(
        @JsonProperty(value = "teamId", required = true) String teamId,
        @JsonProperty(value = "status", required = true) ServerStatus status,
        @JsonProperty(value = "version", required = true) long version,
        @JsonProperty("endpoint") Endpoint endpoint,
        @JsonProperty(value = "machines", required = true) List<RegistryMachine> machines,
        @JsonProperty("region") String region,
        @JsonProperty(value = "updatedAt", required = true) Instant updatedAt,
        @JsonProperty("app") String app)
        implements RegistryEvent {

    public static final String TYPE = "com.employable.flotilla.registry.entry.v1";

    public RegistryEntry {
        Require.teamId(teamId, "teamId");
        Require.present(status, "status");
        Require.positive(version, "version");
        machines = Require.list(machines, "machines");
        Require.present(updatedAt, "updatedAt");
        if (app != null) {
            Require.text(app, "app");
        }
    }

    /** An entry that does not name the app (before provisioning, or from a registry that predates warm pools). */
    public RegistryEntry(
            String teamId,
            ServerStatus status,
            long version,
            Endpoint endpoint,
            List<RegistryMachine> machines,
            String region,
            Instant updatedAt) {
        this(teamId, status, version, endpoint, machines, region, updatedAt, null);
    }
}
