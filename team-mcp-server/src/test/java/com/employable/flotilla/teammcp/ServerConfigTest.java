package com.employable.flotilla.teammcp;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigTest {

    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    @Test
    void oneFailedStartNamesEveryProblem() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of(ServerConfig.PORT, "http",
                ServerConfig.DATABASE_URL, "mysql://db")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(ServerConfig.TEAM_ID + " is required")
                .hasMessageContaining(ServerConfig.PORT + " must be a port number")
                .hasMessageContaining("no way to verify tokens")
                .hasMessageContaining(ServerConfig.DATABASE_URL + " must be a PostgreSQL JDBC URL");
    }

    @Test
    void teamKeyMustBeExactly32BytesOfBase64Url() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of(ServerConfig.TEAM_ID, "alpha",
                ServerConfig.TEAM_TOKEN_KEY, "c2hvcnQ")))
                .hasMessageContaining("exactly 32 bytes");
    }

    @Test
    void jwksNeedsIssuerAndAudience() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of(ServerConfig.TEAM_ID, "alpha",
                ServerConfig.JWT_JWKS_URL, "https://auth.example/jwks")))
                .hasMessageContaining(ServerConfig.JWT_ISSUER + " is required")
                .hasMessageContaining(ServerConfig.JWT_AUDIENCE + " is required");
    }

    @Test
    void flyRuntimeNamesJoinTheAllowedHostsAndSecretsNeverPrint() {
        var env = new HashMap<String, String>();
        env.put(ServerConfig.TEAM_ID, "alpha");
        env.put(ServerConfig.TEAM_TOKEN_KEY, KEY);
        env.put(ServerConfig.PROBE_TOKEN, "probe-token-0123456789");
        env.put(ServerConfig.FLY_APP_NAME, "flotilla-alpha");
        env.put(ServerConfig.DATABASE_URL, "jdbc:postgresql://db:5432/app?password=hunter2hunter2");
        env.put(ServerConfig.DATABASE_PASSWORD, "hunter2hunter2");
        ServerConfig config = ServerConfig.fromEnv(env);

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.allowedHosts()).contains("flotilla-alpha.flycast:*", "flotilla-alpha.fly.dev:*");
        assertThat(config.toString()).doesNotContain("hunter2").doesNotContain("probe-token-0123456789")
                .doesNotContain(KEY);
    }
}
