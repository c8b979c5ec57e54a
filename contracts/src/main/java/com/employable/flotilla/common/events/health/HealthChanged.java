package com.employable.flotilla.common.events.health;

import com.employable.flotilla.common.events.Require;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * {@code com.employable.flotilla.health.changed.v1}: a machine's health moved from one status to another (published
 * on transitions only).
 *
 * @param teamId the team
 * @param machineId the machine probed
 * @param status the new status
 * @param previous the status before, absent for the first verdict
 * @param checkedAt when the deciding probe ran
 * @param latencyMs how long the deciding probe took, absent if it never completed
 * @param failure why the deciding probe failed, absent when it succeeded
 * @param consecutiveFailures failures in a row up to and including the deciding probe
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthChanged(
        @JsonProperty(value = "teamId", required = true) String teamId,
        @JsonProperty(value = "machineId", required = true) String machineId,
        @JsonProperty(value = "status", required = true) HealthStatus status,
        @JsonProperty("previous") HealthStatus previous,
        @JsonProperty(value = "checkedAt", required = true) Instant checkedAt,
        @JsonProperty("latencyMs") Long latencyMs,
        @JsonProperty("failure") ProbeFailure failure,

        @JsonProperty(value = "consecutiveFailures", required = true)
        int consecutiveFailures)
        implements HealthEvent {

    public static final String TYPE = "com.employable.flotilla.health.changed.v1";

    public HealthChanged {
        Require.teamId(teamId, "teamId");
        Require.text(machineId, "machineId");
        Require.present(status, "status");
        Require.present(checkedAt, "checkedAt");
        Require.notNegative(consecutiveFailures, "consecutiveFailures");
    }
}
