package com.employable.flotilla.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.provisioner.fly.FlyJson;
import com.employable.flotilla.provisioner.fly.FlyModel.Check;
import com.employable.flotilla.provisioner.fly.FlyModel.CheckHeader;
import com.employable.flotilla.provisioner.fly.FlyModel.MachineConfig;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.teamdb.TeamDatabaseRoles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The machine config's checks: besides {@code healthz}, the {@code mcp} check Fly's flyd runs against the team
 * server's MCP-level self-check, in Fly's documented fields, carrying the team server's check token (never its probe
 * token), at a configurable interval.
 */
class MachineSpecTest {

    private final ProvisionerProperties properties = ReconcileHarness.properties();

    private final TeamSecrets secrets = new TeamSecrets(properties);

    private MachineSpec spec(McpCheckProperties mcpCheck) {
        return new MachineSpec(
                properties, new TeamDatabaseRoles(properties, null), TeamAddresses.defaults(), secrets, mcpCheck);
    }

    private MachineConfig config(MachineSpec spec) {
        return spec.config(ReconcileHarness.spec("starter", false, false, null), "ck-0");
    }

    @Test
    void everyMachineGetsTheMcpCheckAtTheTeamServersSelfCheckWithItsCheckToken() {
        MachineConfig config = config(spec(McpCheckProperties.defaults()));

        String probeToken = secrets.forTeam(ReconcileHarness.TEAM, false).get(TeamSecrets.PROBE_TOKEN);
        assertThat(config.checks()).containsOnlyKeys("healthz", "mcp");
        assertThat(config.checks().get(MachineSpec.MCP_CHECK))
                .isEqualTo(new Check(
                        "http",
                        8080,
                        "/healthz/mcp",
                        "GET",
                        "3s",
                        "5s",
                        "2s",
                        List.of(new CheckHeader(
                                "Authorization", List.of("Bearer " + MachineSpec.checkToken(probeToken))))));
        assertThat(new String(FlyJson.write(config), StandardCharsets.UTF_8))
                .as("the config anyone with a read token sees")
                .doesNotContain(probeToken);
    }

    @Test
    void theChecksAreWrittenInFlysFields() {
        JsonNode checks = JsonMapper.builder()
                .build()
                .readTree(FlyJson.write(config(spec(McpCheckProperties.defaults()))))
                .get("checks");

        JsonNode mcp = checks.get("mcp");
        assertThat(mcp.get("type").asString()).isEqualTo("http");
        assertThat(mcp.get("port").asInt()).isEqualTo(8080);
        assertThat(mcp.get("method").asString()).isEqualTo("GET");
        assertThat(mcp.get("path").asString()).isEqualTo("/healthz/mcp");
        assertThat(mcp.get("interval").asString()).isEqualTo("3s");
        assertThat(mcp.get("timeout").asString()).isEqualTo("5s");
        assertThat(mcp.get("grace_period").asString()).isEqualTo("2s");
        assertThat(mcp.get("headers").get(0).get("name").asString()).isEqualTo("Authorization");
        assertThat(mcp.get("headers").get(0).get("values").get(0).asString()).startsWith("Bearer ");
        assertThat(checks.get("healthz").has("headers")).isFalse();
    }

    @Test
    void theIntervalIsConfigurableAndAChangeUpdatesTheMachines() {
        MachineConfig standard = config(spec(McpCheckProperties.defaults()));
        MachineConfig faster = config(
                spec(new McpCheckProperties(Duration.ofMillis(1500), Duration.ofSeconds(5), Duration.ofSeconds(2))));

        assertThat(faster.checks().get("mcp").interval()).isEqualTo("1500ms");
        assertThat(MachineSpec.sameSpec(faster, standard.metadata())).isFalse();
        assertThatThrownBy(() -> new McpCheckProperties(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ZERO))
                .hasMessageContaining("flotilla.provisioner.mcp-check.interval");
    }

    /** team-mcp-server's McpSelfCheckIT holds the same vector: both sides derive the same token. */
    @Test
    void theCheckTokenIsTheTeamServersDerivation() {
        assertThat(MachineSpec.checkToken("probe-token-vector-0123456789"))
                .isEqualTo("dLS-ecp14B3EeJKQ4fPsBNc_JJZD8hbOBFe-v7NsT4Y");
    }
}
