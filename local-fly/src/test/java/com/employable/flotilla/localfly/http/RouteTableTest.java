package com.employable.flotilla.localfly.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static final Handler NAMED_MACHINE = request -> Answer.ok(null);
    private static final Handler ANY_ACTION = request -> Answer.ok(null);

    private final RouteTable table = RouteTable.builder()
            .get("/v1/apps/{app}/machines/{id}", NAMED_MACHINE)
            .post("/v1/apps/{app}/machines/{id}", NAMED_MACHINE)
            .post("/v1/apps/{app}/machines/{id}/start", NAMED_MACHINE)
            .post("/v1/apps/{app}/machines/{id}/{action}", ANY_ACTION)
            .build();

    private static List<String> path(String path) {
        return List.of(path.substring(1).split("/"));
    }

    @Test
    void capturesEachNamedParameterFromItsSegment() {
        RouteTable.Lookup lookup = table.find("GET", path("/v1/apps/team-a/machines/0e28650b"));

        assertThat(lookup)
                .isInstanceOfSatisfying(
                        RouteTable.Found.class,
                        found -> assertThat(found.params()).isEqualTo(Map.of("app", "team-a", "id", "0e28650b")));
    }

    @Test
    void theFirstMatchingRouteWins() {
        RouteTable.Lookup start = table.find("POST", path("/v1/apps/a/machines/m/start"));
        RouteTable.Lookup other = table.find("POST", path("/v1/apps/a/machines/m/stop"));

        assertThat(start)
                .isInstanceOfSatisfying(
                        RouteTable.Found.class,
                        found -> assertThat(found.params()).doesNotContainKey("action"));
        assertThat(other)
                .isInstanceOfSatisfying(
                        RouteTable.Found.class,
                        found -> assertThat(found.route().handler()).isSameAs(ANY_ACTION));
    }

    @Test
    void aKnownPathWithAnotherMethodIsMethodNotAllowedNamingTheAllowedOnes() {
        RouteTable.Lookup lookup = table.find("DELETE", path("/v1/apps/a/machines/m"));

        assertThat(lookup)
                .isInstanceOfSatisfying(
                        RouteTable.MethodNotAllowed.class,
                        notAllowed -> assertThat(notAllowed.allowed()).containsExactly("GET", "POST"));
    }

    @Test
    void anUnknownPathIsNotFoundAndAParameterNeverSpansTwoSegments() {
        assertThat(table.find("GET", path("/v1/apps/a/volumes"))).isInstanceOf(RouteTable.NotFound.class);
        assertThat(table.find("POST", path("/v1/apps/a/machines/m/start/now"))).isInstanceOf(RouteTable.NotFound.class);
    }
}
