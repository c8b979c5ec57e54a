package com.employable.flotilla.common.events.server;

import com.employable.flotilla.common.events.Require;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A machine's size, as Fly's {@code guest} config names it; billing prices it.
 *
 * @param cpuKind {@code shared} or {@code performance}
 * @param cpus number of vCPUs
 * @param memoryMb memory in MB (a multiple of 256)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Guest(
        @JsonProperty(value = "cpuKind", required = true) String cpuKind,
        @JsonProperty(value = "cpus", required = true) int cpus,
        @JsonProperty(value = "memoryMb", required = true) int memoryMb) {

    public Guest {
        Require.text(cpuKind, "guest.cpuKind");
        Require.positive(cpus, "guest.cpus");
        Require.positive(memoryMb, "guest.memoryMb");
    }
}
