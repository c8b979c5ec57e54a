package com.employable.flotilla.common.events.health;

import com.employable.flotilla.common.events.Require;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why the last probe failed.
 *
 * @param kind the class of failure
 * @param detail a human-readable detail, without secrets
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeFailure(
        @JsonProperty(value = "kind", required = true) FailureKind kind,
        @JsonProperty(value = "detail", required = true) String detail) {

    public ProbeFailure {
        Require.present(kind, "failure.kind");
        Require.present(detail, "failure.detail");
    }
}
