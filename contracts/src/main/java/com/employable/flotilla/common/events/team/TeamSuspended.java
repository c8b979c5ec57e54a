package com.employable.flotilla.common.events.team;

import com.employable.flotilla.common.events.Require;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * {@code com.employable.team.suspended.v1}: the team may not use its server for now (its machines stop).
 *
 * @param teamId the team
 * @param revision employable's per-team revision
 * @param reason why, e.g. {@code payment_overdue} or {@code admin}
 * @param occurredAt when the team was suspended
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TeamSuspended(
        @JsonProperty(value = "teamId", required = true) String teamId,
        @JsonProperty(value = "revision", required = true) long revision,
        @JsonProperty(value = "reason", required = true) String reason,
        @JsonProperty(value = "occurredAt", required = true) Instant occurredAt)
        implements TeamLifecycleEvent {

    public static final String TYPE = "com.employable.team.suspended.v1";

    public TeamSuspended {
        Require.teamId(teamId, "teamId");
        Require.positive(revision, "revision");
        Require.text(reason, "reason");
        Require.present(occurredAt, "occurredAt");
    }
}
