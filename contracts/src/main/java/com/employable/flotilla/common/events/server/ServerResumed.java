package com.employable.flotilla.common.events.server;

import com.employable.flotilla.common.events.Require;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * {@code com.employable.flotilla.server.resumed.v1}: the team's machines run again after a suspension.
 *
 * @param teamId the team
 * @param teamRevision the team revision this state satisfies
 * @param app the team's Fly app
 * @param occurredAt when the provisioner observed this state
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServerResumed(
        @JsonProperty(value = "teamId", required = true) String teamId,

        @JsonProperty(value = "teamRevision", required = true)
        long teamRevision,

        @JsonProperty(value = "app", required = true) String app,
        @JsonProperty(value = "occurredAt", required = true) Instant occurredAt)
        implements ServerLifecycleEvent {

    public static final String TYPE = "com.employable.flotilla.server.resumed.v1";

    public ServerResumed {
        Require.teamId(teamId, "teamId");
        Require.positive(teamRevision, "teamRevision");
        Require.text(app, "app");
        Require.present(occurredAt, "occurredAt");
    }
}
