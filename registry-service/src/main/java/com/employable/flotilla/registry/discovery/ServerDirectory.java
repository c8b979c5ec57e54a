package com.employable.flotilla.registry.discovery;

import com.employable.flotilla.common.events.registry.ServerStatus;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * What the HTTP API and the gateway serve: the discovery table as this instance's in-memory view holds it
 * ({@link RegistryView}, kept in step by {@link TableFollower}), so no lookup waits for PostgreSQL.
 */
@Service
public class ServerDirectory {

    private final RegistryView view;

    ServerDirectory(RegistryView view) {
        this.view = view;
    }

    public Optional<RegisteredServer> find(String teamId) {
        return view.find(teamId);
    }

    public Page page(Collection<ServerStatus> statuses, int page, int size) {
        long total = view.count(statuses);
        List<RegisteredServer> items = view.page(statuses, (long) page * size, size);
        return new Page(items, page, size, total);
    }

    /**
     * One page of servers, ordered by team id.
     * @param items the servers on this page
     * @param page the page number, from 0
     * @param size the page size asked for
     * @param totalItems how many servers match in all
     */
    public record Page(List<RegisteredServer> items, int page, int size, long totalItems) {

        public long totalPages() {
            return (totalItems + size - 1) / size;
        }
    }
}
