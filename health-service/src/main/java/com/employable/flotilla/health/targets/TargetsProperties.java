package com.employable.flotilla.health.targets;

import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import com.employable.flotilla.common.events.registry.ServerStatus;

/**
 * Which registered machines are probed, and at which URL, under {@code flotilla.health.targets}.
 *
 * @param preferPrivateUrl probe {@code endpoint.privateUrl} (inside the team's private network, e.g. Flycast) when the
 * registry published one, else {@code endpoint.url}
 * @param machineStates machine states (as the registry reports them) that are probed; probing a stopped machine
 * through Fly Proxy would start it
 * @param skipStatuses registry statuses of a team whose machines are not probed at all
 * @param allowedHosts host patterns an endpoint must match ({@code *.fly.dev}, {@code *.flycast}, {@code 127.0.0.1});
 * empty allows any host. The probe carries the team's bearer token, so production should pin this.
 */
@ConfigurationProperties("flotilla.health.targets")
public record TargetsProperties(@DefaultValue("false") boolean preferPrivateUrl,
        @DefaultValue("started") Set<String> machineStates, @DefaultValue("suspended") Set<ServerStatus> skipStatuses,
        @DefaultValue List<String> allowedHosts) {

    public TargetsProperties {
        machineStates = Set.copyOf(machineStates);
        skipStatuses = Set.copyOf(skipStatuses);
        allowedHosts = List.copyOf(allowedHosts);
        for (String pattern : allowedHosts) {
            if (pattern.isBlank() || pattern.indexOf('*') > 0 || pattern.lastIndexOf('*') > 0) {
                throw new IllegalArgumentException("flotilla.health.targets.allowed-hosts: '" + pattern
                        + "' must be a host name, optionally starting with '*.'");
            }
        }
    }
}
