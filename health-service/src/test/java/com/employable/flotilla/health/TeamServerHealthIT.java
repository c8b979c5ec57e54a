package com.employable.flotilla.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.health.probe.ProbeTokens;
import com.employable.flotilla.health.support.HealthTopic;
import com.employable.flotilla.health.support.ProbeKeys;
import com.employable.flotilla.health.support.RegistryFeed;
import com.employable.flotilla.health.support.TeamServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The acceptance scenarios against real team-mcp-server processes, configured as the provisioner configures a team's
 * machine (its probe token derived from the platform probe key). Skipped when the jar is not built, unless
 * {@code -Dflotilla.require-tools=true}.
 */
class TeamServerHealthIT extends HealthScenarios {

    static Path jar;

    @BeforeAll
    static void locateJar() {
        jar = TeamServerProcess.jar();
    }

    @Override
    TeamServer start(String teamId, ProbeTokens tokens) {
        TeamServerProcess server = TeamServerProcess.start(jar, teamId, tokens.tokenFor(teamId));
        return new TeamServer() {
            @Override
            public String endpoint() {
                return server.endpoint();
            }

            @Override
            public void stop() {
                server.stop();
            }

            @Override
            public void restart() {
                server.restart();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    @Test
    void aFrozenTeamServerIsUnhealthyTimeoutAndHealthyOnceItRuns() {
        String team = newTeam("frozen");
        try (TeamServerProcess server = TeamServerProcess.start(jar, team, ProbeKeys.SERVICE.tokenFor(team));
                HealthTopic health = new HealthTopic()) {
            serve(team, server.endpoint());
            RegistryFeed.entry(team, 1, "ready", RegistryFeed.MACHINE + ":started");
            assertThat(HealthTopic.change(health.await(team, 1).get(0)).status())
                    .isEqualTo(HealthStatus.HEALTHY);

            server.hang();
            HealthChanged unhealthy = HealthTopic.change(health.await(team, 2).get(1));
            assertThat(unhealthy.status()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(unhealthy.failure().kind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(unhealthy.failure().detail()).isEqualTo("initialize timed out after 1500 ms");

            server.resume();
            HealthChanged recovered = HealthTopic.change(health.await(team, 3).get(2));
            assertThat(recovered.status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(recovered.previous()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(health.drain(team, Duration.ofMillis(1500))).hasSize(3);
        }
    }
}
