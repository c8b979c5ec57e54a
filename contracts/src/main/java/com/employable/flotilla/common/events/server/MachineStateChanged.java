package com.employable.flotilla.common.events.server;

import com.employable.flotilla.common.events.Require;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * {@code com.employable.flotilla.machine.state-changed.v1}: one observed machine state transition. Billing meters
 * from these, so every transition is published with the time Fly reports for it.
 *
 * @param teamId the team
 * @param app the team's Fly app
 * @param machineId Fly machine id
 * @param region the machine's region (prices differ per region)
 * @param guest the machine's size
 * @param rootfsGb root filesystem size in GB (billed while stopped or suspended)
 * @param from previous state; absent for the first observation of a machine
 * @param to new state
 * @param at when the transition happened
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachineStateChanged(
        @JsonProperty(value = "teamId", required = true) String teamId,
        @JsonProperty(value = "app", required = true) String app,
        @JsonProperty(value = "machineId", required = true) String machineId,
        @JsonProperty(value = "region", required = true) String region,
        @JsonProperty(value = "guest", required = true) Guest guest,
        @JsonProperty(value = "rootfsGb", required = true) int rootfsGb,
        @JsonProperty("from") String from,
        @JsonProperty(value = "to", required = true) String to,
        @JsonProperty(value = "at", required = true) Instant at)
        implements ServerLifecycleEvent {

    public static final String TYPE = "com.employable.flotilla.machine.state-changed.v1";

    public MachineStateChanged {
        Require.teamId(teamId, "teamId");
        Require.text(app, "app");
        Require.text(machineId, "machineId");
        Require.text(region, "region");
        Require.present(guest, "guest");
        Require.notNegative(rootfsGb, "rootfsGb");
        Require.text(to, "to");
        Require.present(at, "at");
    }
}
