package com.employable.flotilla.common.teams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.common.events.InvalidEventException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TeamAddressesTest {

    private final TeamAddresses fly = TeamAddresses.defaults();

    @Test
    void derivesAppAndUrlsFromTheTeamIdAlone() {
        assertThat(fly.appName("acme-sales")).isEqualTo("flotilla-team-acme-sales");
        assertThat(fly.endpointUrl("acme-sales")).isEqualTo("https://flotilla-team-acme-sales.fly.dev/mcp");
        assertThat(fly.privateEndpointUrl("acme-sales")).isEqualTo("http://flotilla-team-acme-sales.flycast/mcp");
    }

    /** Audit finding 1: team id 'registry-service' named the platform app flotilla-registry-service. */
    @Test
    void noTeamIdNamesAPlatformApp() {
        for (String platform : fly.reservedAppNames()) {
            assertThat(fly.teamIdOfApp(platform)).as(platform).isEmpty();
        }
        assertThat(fly.appName("registry-service")).isNotEqualTo("flotilla-registry-service");
        assertThatThrownBy(() -> fly.appName("mcp-server"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("platform app 'flotilla-team-mcp-server'");
    }

    @Test
    void recognisesExactlyTeamAppNames() {
        assertThat(fly.teamIdOfApp("flotilla-team-acme-sales")).contains("acme-sales");
        assertThat(fly.teamIdOfApp("flotilla-acme-sales")).isEmpty();
        assertThat(fly.teamIdOfApp("flotilla-team-")).isEmpty();
        assertThat(fly.teamIdOfApp("flotilla-team-Acme")).isEmpty();
        assertThat(fly.teamIdOfApp("other-team-acme")).isEmpty();
        assertThat(fly.teamIdOfApp(null)).isEmpty();
    }

    @Test
    void refusesConfigurationThatCannotNameAppsOrUrls() {
        assertThatThrownBy(() -> new TeamAddresses(
                        "Flotilla", "https://{app}.fly.dev/mcp", "http://{app}.flycast/mcp", List.of()))
                .hasMessageContaining("prefix");
        assertThatThrownBy(() ->
                        new TeamAddresses("t-", "https://fixed.example/mcp", "http://{app}.flycast/mcp", List.of()))
                .hasMessageContaining("endpointUrlTemplate must contain {app}");
        assertThatThrownBy(() -> new TeamAddresses("t-", "file:///{app}", "http://{app}.flycast/mcp", List.of()))
                .hasMessageContaining("absolute http(s) URL");
    }
}
