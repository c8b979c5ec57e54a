package com.employable.flotilla.common.events.registry;

import com.employable.flotilla.common.events.Require;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A machine of a team's server in the registry.
 *
 * @param machineId Fly machine id
 * @param state Fly machine state as last reported by the provisioner
 * @param health latest health verdict; {@code unknown} before the first probe
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegistryMachine(
        @JsonProperty(value = "machineId", required = true) String machineId,
        @JsonProperty(value = "state", required = true) String state,
        @JsonProperty(value = "health", required = true) HealthStatus health) {

    public RegistryMachine {
        Require.text(machineId, "machines[].machineId");
        Require.text(state, "machines[].state");
        Require.present(health, "machines[].health");
    }
}
