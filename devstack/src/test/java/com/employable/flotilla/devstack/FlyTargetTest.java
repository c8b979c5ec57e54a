package com.employable.flotilla.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlyTargetTest {

    private static final Secrets SECRETS =
            new Secrets("gateway", "probe", "team-db", "jwt", "operator", Map.of("provisioner-service", "db-password"));

    @Test
    void localFlyByDefaultThroughItsProxy() {
        StackConfig config = StackConfig.fromEnv(Path.of("/repo"), Map.of());

        Map<String, String> env = config.serviceEnv("provisioner-service", SECRETS);

        assertThat(config.fly().name()).isEqualTo("local-fly");
        assertThat(env)
                .containsEntry("FLOTILLA_FLY_API_URL", "http://127.0.0.1:4280")
                .containsEntry("FLY_API_TOKEN", "local-fly-dev-token")
                .containsEntry("FLOTILLA_ENDPOINT_URL_TEMPLATE", "http://127.0.0.1:4281/{app}/mcp");
    }

    @Test
    void flyIoWhenATokenAndAnOrgAreSetAndOnlyTheProvisionerGetsTheToken() {
        StackConfig config = StackConfig.fromEnv(
                Path.of("/repo"),
                Map.of(
                        "FLY_API_TOKEN", "FlyV1 fm2_secret-token",
                        "FLOTILLA_FLY_ORG", "acme",
                        "FLOTILLA_TEAM_SERVER_IMAGE", "registry.fly.io/acme-team:1"));

        Map<String, String> provisioner = config.serviceEnv("provisioner-service", SECRETS);
        Map<String, String> registry = config.serviceEnv("registry-service", SECRETS);

        assertThat(config.fly().name()).isEqualTo("fly");
        assertThat(provisioner)
                .containsEntry("FLOTILLA_FLY_API_URL", "https://api.machines.dev")
                .containsEntry("FLY_API_TOKEN", "FlyV1 fm2_secret-token")
                .containsEntry("FLOTILLA_FLY_ORG", "acme")
                .containsEntry("FLOTILLA_TEAM_SERVER_IMAGE", "registry.fly.io/acme-team:1")
                .containsEntry("FLOTILLA_ENDPOINT_URL_TEMPLATE", "https://{app}.fly.dev/mcp")
                .containsEntry("FLOTILLA_PRIVATE_ENDPOINT_URL_TEMPLATE", "https://{app}.fly.dev/mcp")
                .doesNotContainKey("FLOTILLA_TEAM_DATABASE_URL");
        assertThat(registry).doesNotContainKey("FLY_API_TOKEN");
        assertThat(config.skipReason("local-fly")).contains("not started", "https://api.machines.dev");
        assertThat(config.toString()).doesNotContain("secret-token");
    }

    @Test
    void aTokenWithoutAnOrgStaysOnLocalFly() {
        StackConfig config = StackConfig.fromEnv(Path.of("/repo"), Map.of("FLY_API_TOKEN", "t"));

        assertThat(config.fly().name()).isEqualTo("local-fly");
    }
}
