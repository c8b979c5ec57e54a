package com.employable.flotilla.registry.discovery;

import com.employable.flotilla.common.events.registry.ServerStatus;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads the discovery table: what the HTTP API and the gateway serve. */
@Service
public class ServerDirectory {

    private final TeamServerTable table;

    ServerDirectory(TeamServerTable table) {
        this.table = table;
    }

    public Optional<RegisteredServer> find(String teamId) {
        return table.findVisible(teamId);
    }

    @Transactional(readOnly = true)
    public Page page(Collection<ServerStatus> statuses, int page, int size) {
        long total = table.countVisible(statuses);
        List<RegisteredServer> items = table.pageVisible(statuses, Math.multiplyExact(page, size), size);
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
