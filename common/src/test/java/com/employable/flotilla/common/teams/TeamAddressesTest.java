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
                        "Flotilla",
                        "https://{app}.fly.dev/mcp",
                        "http://{app}.flycast/mcp",
                        "http://{machine}.vm.{app}.internal:8080/mcp",
                        "flotilla-pool-",
                        List.of()))
                .hasMessageContaining("prefix");
        assertThatThrownBy(() -> new TeamAddresses(
                        "t-",
                        "https://fixed.example/mcp",
                        "http://{app}.flycast/mcp",
                        "http://{machine}.vm.{app}.internal:8080/mcp",
                        "flotilla-pool-",
                        List.of()))
                .hasMessageContaining("endpointUrlTemplate must contain {app}");
        assertThatThrownBy(() -> new TeamAddresses(
                        "t-",
                        "file:///{app}",
                        "http://{app}.flycast/mcp",
                        "http://{machine}.vm.{app}.internal:8080/mcp",
                        "flotilla-pool-",
                        List.of()))
                .hasMessageContaining("absolute http(s) URL");
    }

    @Test
    void aServerAppIsTheTeamsOwnOrAPoolAppNeverAnythingElse() {
        TeamAddresses fly = TeamAddresses.defaults();
        String team = "0b7e3a52-8f0c-4a8e-9a51-3f1c2d4e5f60";
        assertThat(fly.requireServerApp(team, "flotilla-team-" + team, "app")).isEqualTo("flotilla-team-" + team);
        assertThat(fly.requireServerApp(team, "flotilla-pool-3k9x2m7q", "app")).isEqualTo("flotilla-pool-3k9x2m7q");
        for (String forged : new String[] {
            "flotilla-registry-service",
            "flotilla-team-1d5c7a3e-0000-4000-8000-000000000000",
            "flotilla-pool-short",
            "flotilla-pool-3k9x2m7q.evil.example",
            "flotilla-pool-3K9X2M7Q",
            null
        }) {
            assertThatThrownBy(() -> fly.requireServerApp(team, forged, "app"))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageStartingWith("app '");
        }
    }

    @Test
    void aMachineUrlGoesStraightToTheMachineOverThePrivateNetwork() {
        TeamAddresses fly = TeamAddresses.defaults();
        assertThat(fly.machineUrl("flotilla-pool-3k9x2m7q", "148e21ea7e3e89"))
                .isEqualTo("http://148e21ea7e3e89.vm.flotilla-pool-3k9x2m7q.internal:8080/mcp");
        assertThatThrownBy(() -> fly.machineUrl("flotilla-pool-3k9x2m7q", "evil.example/x"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("machineId");
        assertThatThrownBy(() -> new TeamAddresses(
                        "t-",
                        "https://{app}.fly.dev/mcp",
                        "http://{app}.flycast/mcp",
                        "http://{app}.internal/mcp",
                        "p-",
                        List.of()))
                .hasMessageContaining("{machine}");
        assertThatThrownBy(() -> new TeamAddresses(
                        "t-",
                        "https://{app}.fly.dev/mcp",
                        "http://{app}.flycast/mcp",
                        "http://{machine}.vm.{app}.internal:8080/mcp",
                        "t-",
                        List.of()))
                .hasMessageContaining("pool app prefix");
    }
}
