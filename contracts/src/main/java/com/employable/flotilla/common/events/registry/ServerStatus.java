package com.employable.flotilla.common.events.registry;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a team's server is usable, as the registry decides it from provisioner and health events. */
public enum ServerStatus {
    @JsonProperty("provisioning")
    PROVISIONING,

    @JsonProperty("ready")
    READY,

    @JsonProperty("degraded")
    DEGRADED,

    @JsonProperty("unhealthy")
    UNHEALTHY,

    @JsonProperty("suspended")
    SUSPENDED,

    @JsonProperty("failed")
    FAILED
}
