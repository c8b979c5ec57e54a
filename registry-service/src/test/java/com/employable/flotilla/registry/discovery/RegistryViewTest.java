package com.employable.flotilla.registry.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.events.registry.ServerStatus;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryViewTest {

    private final RegistryView view = new RegistryView();

    @Test
    void pagesAreOrderedByTeamAndFilteredByStatus() {
        view.replaceAll(Map.of(
                "c", server("c", ServerStatus.IDLE, 1),
                "a", server("a", ServerStatus.READY, 1),
                "b", server("b", ServerStatus.UNHEALTHY, 1),
                "d", server("d", ServerStatus.IDLE, 1)));

        assertThat(teams(view.page(EnumSet.allOf(ServerStatus.class), 1, 2))).containsExactly("b", "c");
        assertThat(teams(view.page(EnumSet.of(ServerStatus.IDLE), 0, 10))).containsExactly("c", "d");
        assertThat(view.count(EnumSet.of(ServerStatus.IDLE, ServerStatus.READY)))
                .isEqualTo(3);
        assertThat(view.count(ServerStatus.UNHEALTHY)).isEqualTo(1);
    }

    @Test
    void aRefreshReplacesAnnouncedTeamsAndDropsThoseWithoutARow() {
        view.replaceAll(Map.of("a", server("a", ServerStatus.READY, 1), "b", server("b", ServerStatus.READY, 1)));

        view.refresh(List.of("a", "b"), Map.of("a", server("a", ServerStatus.IDLE, 2)));

        assertThat(view.find("a").orElseThrow().view().status()).isEqualTo(ServerStatus.IDLE);
        assertThat(view.find("b")).isEmpty();
    }

    @Test
    void anOlderVersionNeverReplacesANewerOne() {
        view.replaceAll(Map.of("a", server("a", ServerStatus.IDLE, 5)));

        view.refresh(List.of("a"), Map.of("a", server("a", ServerStatus.READY, 4)));

        assertThat(view.find("a").orElseThrow().version()).isEqualTo(5);
    }

    @Test
    void aWholeReadDropsTeamsThatLeftTheTable() {
        view.replaceAll(Map.of("a", server("a", ServerStatus.READY, 1), "b", server("b", ServerStatus.READY, 1)));

        view.replaceAll(Map.of("b", server("b", ServerStatus.READY, 2)));

        assertThat(view.find("a")).isEmpty();
        assertThat(view.size()).isEqualTo(1);
    }

    private static RegisteredServer server(String team, ServerStatus status, long version) {
        return new RegisteredServer(
                new ServerView(team, status, null, null, null, List.of(), null), version, Instant.EPOCH);
    }

    private static List<String> teams(List<RegisteredServer> servers) {
        return servers.stream().map(s -> s.view().teamId()).toList();
    }
}
