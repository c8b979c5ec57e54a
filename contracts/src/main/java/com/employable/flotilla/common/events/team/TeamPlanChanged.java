package com.employable.flotilla.common.events.team;

import com.employable.flotilla.common.events.Require;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * {@code com.employable.team.plan-changed.v1}: the team moved to another plan, so its machines change size or count.
 *
 * @param teamId the team
 * @param revision employable's per-team revision
 * @param plan the new plan
 * @param occurredAt when the plan changed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TeamPlanChanged(
        @JsonProperty(value = "teamId", required = true) String teamId,
        @JsonProperty(value = "revision", required = true) long revision,
        @JsonProperty(value = "plan", required = true) String plan,
        @JsonProperty(value = "occurredAt", required = true) Instant occurredAt)
        implements TeamLifecycleEvent {

    public static final String TYPE = "com.employable.team.plan-changed.v1";

    public TeamPlanChanged {
        Require.teamId(teamId, "teamId");
        Require.positive(revision, "revision");
        Require.bounded(plan, "plan", TeamCreated.MAX_PLAN);
        Require.present(occurredAt, "occurredAt");
    }
}
