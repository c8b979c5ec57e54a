package com.employable.flotilla.registry.discovery;

import com.employable.flotilla.common.events.registry.ServerStatus;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.springframework.stereotype.Component;

/**
 * Every visible team's published entry, in memory, ordered by team id: what lookups read (the gateway on every
 * request, the discovery API). {@link TableFollower} keeps it in step with the table; readers never block and never
 * see a half-applied change (each team's entry is replaced as a whole).
 */
@Component
final class RegistryView {

    private final ConcurrentSkipListMap<String, RegisteredServer> servers = new ConcurrentSkipListMap<>();

    Optional<RegisteredServer> find(String teamId) {
        return Optional.ofNullable(servers.get(teamId));
    }

    List<RegisteredServer> page(Collection<ServerStatus> statuses, long offset, int limit) {
        return servers.values().stream()
                .filter(server -> statuses.contains(server.view().status()))
                .skip(offset)
                .limit(limit)
                .toList();
    }

    long count(Collection<ServerStatus> statuses) {
        return servers.values().stream()
                .filter(server -> statuses.contains(server.view().status()))
                .count();
    }

    long count(ServerStatus status) {
        return servers.values().stream()
                .filter(server -> server.view().status() == status)
                .count();
    }

    int size() {
        return servers.size();
    }

    /** The whole table as just read: teams no longer in it are dropped. */
    void replaceAll(Map<String, RegisteredServer> visible) {
        servers.keySet().removeIf(teamId -> !visible.containsKey(teamId));
        visible.values().forEach(this::put);
    }

    /** These teams as just read from the table; a team absent from {@code visible} has no server any more. */
    void refresh(Collection<String> teamIds, Map<String, RegisteredServer> visible) {
        for (String teamId : teamIds) {
            RegisteredServer server = visible.get(teamId);
            if (server == null) {
                servers.remove(teamId);
            } else {
                put(server);
            }
        }
    }

    /** Never goes back to an older version of a team's entry (a belt to the follower's braces: it reads in order). */
    private void put(RegisteredServer server) {
        servers.merge(server.view().teamId(), server, (held, read) -> read.version() >= held.version() ? read : held);
    }
}
