package com.employable.flotilla.provisioner.reconcile;

import static com.employable.flotilla.provisioner.team.ProvisionerPropertiesTest.GATEWAY;
import static com.employable.flotilla.provisioner.team.ProvisionerPropertiesTest.GATEWAY_PREVIOUS;
import static com.employable.flotilla.provisioner.team.ProvisionerPropertiesTest.PROBE;
import static com.employable.flotilla.provisioner.team.ProvisionerPropertiesTest.PROBE_PREVIOUS;
import static com.employable.flotilla.provisioner.team.ProvisionerPropertiesTest.TEAM_DB;
import static com.employable.flotilla.provisioner.team.ProvisionerPropertiesTest.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.common.auth.TeamCredentials;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeamSecretsTest {

    @Test
    void equalPlatformKeysAreRefusedAtStartUp() {
        assertThatThrownBy(() -> new TeamSecrets(properties(GATEWAY, "", GATEWAY, "", TEAM_DB, null)))
                .hasMessageContaining("FLOTILLA_GATEWAY_KEY")
                .hasMessageContaining("FLOTILLA_PROBE_KEY")
                .message()
                .doesNotContain(GATEWAY);
        assertThatThrownBy(() -> new TeamSecrets(properties(GATEWAY, "", PROBE, "", PROBE, null)))
                .hasMessageContaining("FLOTILLA_TEAM_DB_KEY");
        assertThatThrownBy(() -> new TeamSecrets(properties(GATEWAY, "", PROBE, TEAM_DB, TEAM_DB, null)))
                .hasMessageContaining("FLOTILLA_PROBE_KEY_PREVIOUS");
        assertThatThrownBy(() -> new TeamSecrets(properties(GATEWAY, PROBE, PROBE, "", TEAM_DB, null)))
                .hasMessageContaining("FLOTILLA_GATEWAY_KEY_PREVIOUS");
    }

    @Test
    void previousKeysAddRotationSecretsAndTheirAbsenceUnsetsThem() {
        var steady = new TeamSecrets(properties(GATEWAY, "", PROBE, "", TEAM_DB, null));
        Map<String, String> now = steady.forTeam("team-a", true);
        assertThat(now)
                .containsEntry(
                        TeamSecrets.PROBE_TOKEN,
                        TeamCredentials.probeToken(TeamCredentials.platformKey(PROBE, "p"), "team-a"))
                .containsEntry(TeamSecrets.PROBE_TOKEN_PREVIOUS, null)
                .containsEntry(TeamSecrets.TEAM_TOKEN_KEY_PREVIOUS, null)
                .containsKey(TeamSecrets.DATABASE_PASSWORD);

        var rotating = new TeamSecrets(properties(GATEWAY, GATEWAY_PREVIOUS, PROBE, PROBE_PREVIOUS, TEAM_DB, null));
        Map<String, String> during = rotating.forTeam("team-a", true);
        assertThat(during.get(TeamSecrets.PROBE_TOKEN_PREVIOUS))
                .isEqualTo(TeamCredentials.probeToken(TeamCredentials.platformKey(PROBE_PREVIOUS, "p"), "team-a"));
        assertThat(during.get(TeamSecrets.TEAM_TOKEN_KEY_PREVIOUS))
                .isEqualTo(TeamCredentials.teamTokenKey(TeamCredentials.platformKey(GATEWAY_PREVIOUS, "g"), "team-a"));
        assertThat(rotating.digest("team-a", true)).isNotEqualTo(steady.digest("team-a", true));
    }
}
