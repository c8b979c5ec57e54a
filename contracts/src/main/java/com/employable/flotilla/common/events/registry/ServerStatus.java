package com.employable.flotilla.common.events.registry;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a team's server is usable, as the registry decides it from provisioner and health events. */
public enum ServerStatus {
    @JsonProperty("provisioning")
    PROVISIONING,

    @JsonProperty("ready")
    READY,

    /** Every machine is stopped or suspended by design (autostop) and the last verdict was healthy: the next request wakes it. */
    @JsonProperty("idle")
    IDLE,

    @JsonProperty("degraded")
    DEGRADED,

    @JsonProperty("unhealthy")
    UNHEALTHY,

    @JsonProperty("suspended")
    SUSPENDED,

    @JsonProperty("failed")
    FAILED
}
