package com.employable.flotilla.common.events.team;

import com.employable.flotilla.common.events.Require;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * {@code com.employable.team.created.v1}: a team exists and wants an MCP server.
 *
 * @param teamId the team ({@code a-z 0-9 -}, 1 to 40 characters, or a UUID)
 * @param revision employable's per-team revision, starting at 1
 * @param name display name
 * @param plan plan name, mapped to a machine size by configuration (e.g. starter, team, business)
 * @param region preferred Fly region code (e.g. fra)
 * @param occurredAt when employable created the team
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TeamCreated(
        @JsonProperty(value = "teamId", required = true) String teamId,
        @JsonProperty(value = "revision", required = true) long revision,
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty(value = "plan", required = true) String plan,
        @JsonProperty(value = "region", required = true) String region,
        @JsonProperty(value = "occurredAt", required = true) Instant occurredAt)
        implements TeamLifecycleEvent {

    /** Longest team name accepted: a display name, not a document (a 100,000-character name was accepted once). */
    public static final int MAX_NAME = 200;

    /** Longest plan id; which plans exist is configuration, checked by each consumer. */
    public static final int MAX_PLAN = 40;

    public static final String TYPE = "com.employable.team.created.v1";

    public TeamCreated {
        Require.teamId(teamId, "teamId");
        Require.positive(revision, "revision");
        Require.bounded(name, "name", MAX_NAME);
        Require.bounded(plan, "plan", MAX_PLAN);
        Require.region(region, "region");
        Require.present(occurredAt, "occurredAt");
    }
}
