package com.employable.flotilla.registry.api;

import com.employable.flotilla.common.events.registry.ServerStatus;
import com.employable.flotilla.registry.auth.Agent;
import com.employable.flotilla.registry.discovery.ServerDirectory;
import com.employable.flotilla.registry.system.ProblemException;
import com.employable.flotilla.registry.system.Problems;
import com.employable.flotilla.registry.system.RegistryProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Every team's server, paged, for operators. */
@RestController
class ServersResource {

    static final int DEFAULT_PAGE_SIZE = 50;

    private final ServerDirectory directory;

    private final McpClients clients;

    private final RegistryProperties properties;

    ServersResource(ServerDirectory directory, McpClients clients, RegistryProperties properties) {
        this.directory = directory;
        this.clients = clients;
        this.properties = properties;
    }

    @GetMapping("/v1/servers")
    ServerPage servers(
            @RequestParam(required = false) List<String> status,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "" + DEFAULT_PAGE_SIZE) int size,
            Agent agent,
            HttpServletRequest request) {
        if (!agent.admin()) {
            throw new ProblemException(
                    HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "listing servers needs the operator role");
        }
        if (page < 0) {
            throw Problems.badRequest("page starts at 0");
        }
        if (size < 1 || size > properties.maxPageSize()) {
            throw Problems.badRequest("size must be between 1 and " + properties.maxPageSize());
        }
        var result = directory.page(statuses(status), page, size);
        return new ServerPage(
                result.items().stream()
                        .map(s -> ServerDetails.of(s, clients.forServer(s, request)))
                        .toList(),
                result.page(),
                result.size(),
                result.totalItems(),
                result.totalPages());
    }

    /** Repeated ({@code status=a&status=b}) or comma-separated; absent means every status. */
    private static Set<ServerStatus> statuses(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return EnumSet.allOf(ServerStatus.class);
        }
        Set<ServerStatus> statuses = EnumSet.noneOf(ServerStatus.class);
        List<String> unknown = new ArrayList<>();
        for (String value : requested.stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::strip)
                .toList()) {
            if (value.isEmpty()) {
                continue;
            }
            try {
                statuses.add(ServerStatus.valueOf(value.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException notAStatus) {
                unknown.add(value);
            }
        }
        if (unknown.isEmpty() && statuses.isEmpty()) {
            return EnumSet.allOf(ServerStatus.class);
        }
        if (!unknown.isEmpty()) {
            throw Problems.badRequest("unknown status " + String.join(", ", unknown) + "; expected any of "
                    + Arrays.stream(ServerStatus.values())
                            .map(s -> s.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", ")));
        }
        return statuses;
    }

    /**
     * @param items the servers on this page, ordered by team id
     * @param page this page, from 0
     * @param size the page size
     * @param totalItems servers matching in all
     * @param totalPages pages in all
     */
    record ServerPage(List<ServerDetails> items, int page, int size, long totalItems, long totalPages) {}
}
