package com.employable.flotilla.common.events.health;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a server answers MCP probes. */
public enum HealthStatus {

    /** Not probed yet. */
    @JsonProperty("unknown")
    UNKNOWN,

    /** Answers MCP within the latency threshold. */
    @JsonProperty("healthy")
    HEALTHY,

    /** Answers, but slowly or intermittently. */
    @JsonProperty("degraded")
    DEGRADED,

    /** Failed the configured number of consecutive probes. */
    @JsonProperty("unhealthy")
    UNHEALTHY
}
