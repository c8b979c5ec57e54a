package com.employable.flotilla.teammcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    private static final String PREVIOUS_KEY = "HxweHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE";

    @Test
    void oneFailedStartNamesEveryProblem() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(
                        Map.of(ServerConfig.PORT, "http", ServerConfig.DATABASE_URL, "mysql://db")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(ServerConfig.TEAM_ID + " is required")
                .hasMessageContaining(ServerConfig.PORT + " must be a port number")
                .hasMessageContaining("no way to verify tokens")
                .hasMessageContaining(ServerConfig.DATABASE_URL + " must be a PostgreSQL JDBC URL");
    }

    @Test
    void teamKeyMustBeExactly32BytesOfBase64Url() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(
                        Map.of(ServerConfig.TEAM_ID, "alpha", ServerConfig.TEAM_TOKEN_KEY, "c2hvcnQ")))
                .hasMessageContaining("exactly 32 bytes");
    }

    @Test
    void aTeamIdIsAcceptedOnlyInItsCanonicalLowerCase() {
        assertThat(ServerConfig.fromEnv(Map.of(
                                ServerConfig.TEAM_ID,
                                "0b5e8c7a-4f1e-4a8e-9d3c-2f6b1a7e9c10",
                                ServerConfig.TEAM_TOKEN_KEY,
                                KEY))
                        .teamId())
                .isEqualTo("0b5e8c7a-4f1e-4a8e-9d3c-2f6b1a7e9c10");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of(
                        ServerConfig.TEAM_ID,
                        "0B5E8C7A-4F1E-4A8E-9D3C-2F6B1A7E9C10",
                        ServerConfig.TEAM_TOKEN_KEY,
                        KEY)))
                .hasMessageContaining(ServerConfig.TEAM_ID + " must be");
    }

    @Test
    void jwksNeedsIssuerAndAudience() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(
                        Map.of(ServerConfig.TEAM_ID, "alpha", ServerConfig.JWT_JWKS_URL, "https://auth.example/jwks")))
                .hasMessageContaining(ServerConfig.JWT_ISSUER + " is required")
                .hasMessageContaining(ServerConfig.JWT_AUDIENCE + " is required");
    }

    @Test
    void flyRuntimeNamesJoinTheAllowedHostsAndSecretsNeverPrint() {
        var env = new HashMap<String, String>();
        env.put(ServerConfig.TEAM_ID, "alpha");
        env.put(ServerConfig.TEAM_TOKEN_KEY, KEY);
        env.put(ServerConfig.PROBE_TOKEN, "probe-token-0123456789");
        env.put(ServerConfig.TEAM_TOKEN_KEY_PREVIOUS, PREVIOUS_KEY);
        env.put(ServerConfig.PROBE_TOKEN_PREVIOUS, "previous-probe-token-9876543210");
        env.put(ServerConfig.FLY_APP_NAME, "flotilla-alpha");
        env.put(ServerConfig.RESOURCE_URL, "https://flotilla-alpha.fly.dev/mcp");
        env.put(ServerConfig.DATABASE_URL, "jdbc:postgresql://db:5432/app?password=hunter2hunter2");
        env.put(ServerConfig.DATABASE_PASSWORD, "hunter2hunter2");
        ServerConfig config = ServerConfig.fromEnv(env);

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.allowedHosts()).contains("flotilla-alpha.flycast:*", "flotilla-alpha.fly.dev:*");
        assertThat(config.previousTeamTokenKey()).isPresent();
        assertThat(config.previousProbeToken()).isPresent();
        assertThat(config.toString())
                .doesNotContain("hunter2")
                .doesNotContain("probe-token-0123456789")
                .doesNotContain(KEY)
                .doesNotContain(PREVIOUS_KEY)
                .doesNotContain("previous-probe-token-9876543210");
    }

    @Test
    void onFlyTheResourceUrlMustBeConfiguredNeverTakenFromARequest() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of(
                        ServerConfig.TEAM_ID,
                        "alpha",
                        ServerConfig.TEAM_TOKEN_KEY,
                        KEY,
                        ServerConfig.FLY_APP_NAME,
                        "flotilla-team-alpha")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(ServerConfig.RESOURCE_URL + " is required on Fly");
    }

    @Test
    void previousCredentialsAreCheckedLikeTheCurrentOnesAndNeedThem() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of(
                        ServerConfig.TEAM_ID,
                        "alpha",
                        ServerConfig.JWT_JWKS_URL,
                        "https://auth.example/jwks",
                        ServerConfig.JWT_ISSUER,
                        "https://auth.example",
                        ServerConfig.JWT_AUDIENCE,
                        "authenticated",
                        ServerConfig.TEAM_TOKEN_KEY_PREVIOUS,
                        PREVIOUS_KEY,
                        ServerConfig.PROBE_TOKEN_PREVIOUS,
                        "short")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        ServerConfig.TEAM_TOKEN_KEY_PREVIOUS + " is set but " + ServerConfig.TEAM_TOKEN_KEY + " is not")
                .hasMessageContaining(ServerConfig.PROBE_TOKEN_PREVIOUS + " must be at least 16 characters")
                .hasMessageNotContaining(PREVIOUS_KEY);
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of(
                        ServerConfig.TEAM_ID,
                        "alpha",
                        ServerConfig.TEAM_TOKEN_KEY,
                        KEY,
                        ServerConfig.TEAM_TOKEN_KEY_PREVIOUS,
                        "c2hvcnQ",
                        ServerConfig.PROBE_TOKEN_PREVIOUS,
                        "previous-probe-token-9876543210")))
                .hasMessageContaining(ServerConfig.TEAM_TOKEN_KEY_PREVIOUS + " must be base64url")
                .hasMessageContaining(
                        ServerConfig.PROBE_TOKEN_PREVIOUS + " is set but " + ServerConfig.PROBE_TOKEN + " is not")
                .hasMessageNotContaining("previous-probe-token-9876543210");
    }
}
