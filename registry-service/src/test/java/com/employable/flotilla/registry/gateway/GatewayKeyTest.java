package com.employable.flotilla.registry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.common.auth.TeamCredentials;
import com.employable.flotilla.registry.auth.AuthProperties;
import com.employable.flotilla.registry.support.RegistryIntegrationTest;
import com.employable.flotilla.registry.support.TestTokens;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finding 7: the gateway key is never employable's JWT secret, and neither shows in {@code toString}. */
class GatewayKeyTest {

    private static final String SECRET = TestTokens.SECRET;

    @Test
    void aGatewayKeyWithTheJwtSecretsBytesIsRefused() {
        String sameBytes = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> GatewayConfiguration.requireDistinctFromJwtSecret(
                        TeamCredentials.platformKey(sameBytes, "FLOTILLA_GATEWAY_KEY"), sameBytes, auth(SECRET)))
                .hasMessageContaining("FLOTILLA_GATEWAY_KEY")
                .hasMessageContaining("FLOTILLA_JWT_HS256_SECRET")
                .hasMessageNotContaining(SECRET)
                .hasMessageNotContaining(sameBytes);
    }

    @Test
    void aGatewayKeyConfiguredAsTheSameTextAsTheJwtSecretIsRefused() {
        String key = RegistryIntegrationTest.GATEWAY_KEY;
        assertThatThrownBy(() -> GatewayConfiguration.requireDistinctFromJwtSecret(
                        TeamCredentials.platformKey(key, "FLOTILLA_GATEWAY_KEY"), key, auth(key)))
                .hasMessageContaining("must be different");
    }

    @Test
    void distinctKeysPass() {
        String key = RegistryIntegrationTest.GATEWAY_KEY;
        GatewayConfiguration.requireDistinctFromJwtSecret(
                TeamCredentials.platformKey(key, "FLOTILLA_GATEWAY_KEY"), key, auth(SECRET));
    }

    @Test
    void propertiesNeverPrintTheKeyOrSecret() {
        var properties = new org.springframework.boot.context.properties.bind.Binder(
                        new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(
                                java.util.Map.of("flotilla.registry.gateway.key", RegistryIntegrationTest.GATEWAY_KEY)))
                .bindOrCreate("flotilla.registry.gateway", GatewayProperties.class);
        assertThat(properties.toString())
                .doesNotContain(RegistryIntegrationTest.GATEWAY_KEY)
                .contains("<redacted>");
        assertThat(auth(SECRET).toString()).doesNotContain(SECRET);
    }

    private static AuthProperties auth(String secret) {
        return new AuthProperties(
                secret,
                null,
                TestTokens.ISSUER,
                TestTokens.AUDIENCE,
                "app_metadata.team_id",
                "app_metadata.flotilla_role",
                "admin",
                java.time.Duration.ofSeconds(60),
                List.of());
    }
}
