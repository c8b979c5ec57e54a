package com.employable.flotilla.common.events.server;

import com.employable.flotilla.common.events.Require;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * {@code com.employable.flotilla.server.provisioning-failed.v1}: a reconcile step failed; says whether and when the
 * provisioner tries again.
 *
 * @param teamId the team
 * @param teamRevision the team revision being reconciled
 * @param stage the step that failed (e.g. create-app, set-secrets, allocate-ip, create-machine, wait-started)
 * @param error what went wrong, without secrets
 * @param retryable whether the provisioner will try again
 * @param attempt the attempt that failed, from 1
 * @param nextAttemptAt when the next attempt is due; absent when not retryable
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServerProvisioningFailed(
        @JsonProperty(value = "teamId", required = true) String teamId,

        @JsonProperty(value = "teamRevision", required = true)
        long teamRevision,

        @JsonProperty(value = "stage", required = true) String stage,
        @JsonProperty(value = "error", required = true) String error,
        @JsonProperty(value = "retryable", required = true) boolean retryable,
        @JsonProperty(value = "attempt", required = true) int attempt,
        @JsonProperty("nextAttemptAt") Instant nextAttemptAt)
        implements ServerLifecycleEvent {

    public static final String TYPE = "com.employable.flotilla.server.provisioning-failed.v1";

    public ServerProvisioningFailed {
        Require.teamId(teamId, "teamId");
        Require.positive(teamRevision, "teamRevision");
        Require.text(stage, "stage");
        Require.freeText(error, "error");
        Require.positive(attempt, "attempt");
    }
}
