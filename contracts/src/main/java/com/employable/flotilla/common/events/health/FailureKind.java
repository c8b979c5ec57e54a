package com.employable.flotilla.common.events.health;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Why a probe failed, coarse enough to act on. */
public enum FailureKind {

    /** No TCP connection (machine stopped, port closed, DNS). */
    @JsonProperty("connect")
    CONNECT,

    /** A step did not answer within its timeout. */
    @JsonProperty("timeout")
    TIMEOUT,

    /** An unexpected HTTP status. */
    @JsonProperty("http")
    HTTP,

    /** The server refused the probe token (401/403). */
    @JsonProperty("auth")
    AUTH,

    /** The server answered, but not valid MCP. */
    @JsonProperty("protocol")
    PROTOCOL
}
