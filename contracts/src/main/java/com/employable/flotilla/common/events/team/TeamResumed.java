package com.employable.flotilla.common.events.team;

import com.employable.flotilla.common.events.Require;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * {@code com.employable.team.resumed.v1}: the team may use its server again (its machines start).
 *
 * @param teamId the team
 * @param revision employable's per-team revision
 * @param occurredAt when it happened
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TeamResumed(
        @JsonProperty(value = "teamId", required = true) String teamId,
        @JsonProperty(value = "revision", required = true) long revision,
        @JsonProperty(value = "occurredAt", required = true) Instant occurredAt)
        implements TeamLifecycleEvent {

    public static final String TYPE = "com.employable.team.resumed.v1";

    public TeamResumed {
        Require.teamId(teamId, "teamId");
        Require.positive(revision, "revision");
        Require.present(occurredAt, "occurredAt");
    }
}
