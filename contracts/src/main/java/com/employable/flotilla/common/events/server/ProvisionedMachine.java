package com.employable.flotilla.common.events.server;

import com.employable.flotilla.common.events.Require;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One machine of a team's server as the provisioner last saw it.
 *
 * @param machineId Fly machine id
 * @param state Fly machine state (e.g. started, stopped, suspended)
 * @param guest its size
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProvisionedMachine(
        @JsonProperty(value = "machineId", required = true) String machineId,
        @JsonProperty(value = "state", required = true) String state,
        @JsonProperty(value = "guest", required = true) Guest guest) {

    public ProvisionedMachine {
        Require.text(machineId, "machines[].machineId");
        Require.text(state, "machines[].state");
        Require.present(guest, "machines[].guest");
    }
}
