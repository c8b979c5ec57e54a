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
        assertThat(config.serviceEnv("health-service", SECRETS))
                .containsEntry("FLOTILLA_HEALTH_PROBE_ADDRESS", "machine")
                .doesNotContainKey("FLY_API_TOKEN");
    }

    @Test
    void flyIoWhenATokenAndAnOrgAreSetAndOnlyTheProvisionerAndHealthGetAToken() {
        StackConfig config = StackConfig.fromEnv(
                Path.of("/repo"),
                Map.of(
                        "FLY_API_TOKEN", "FlyV1 fm2_secret-token",
                        "FLOTILLA_FLY_ORG", "acme",
                        "FLOTILLA_TEAM_SERVER_IMAGE", "registry.fly.io/acme-team:1"));

        Map<String, String> provisioner = config.serviceEnv("provisioner-service", SECRETS);
        Map<String, String> registry = config.serviceEnv("registry-service", SECRETS);
        Map<String, String> health = config.serviceEnv("health-service", SECRETS);

        assertThat(config.fly().name()).isEqualTo("fly");
        assertThat(health)
                .as("health reads the machines' mcp checks through the Machines API: production's mode on Fly")
                .containsEntry("FLOTILLA_HEALTH_PROBE_ADDRESS", "fly-checks")
                .containsEntry("FLOTILLA_FLY_API_URL", "https://api.machines.dev")
                .containsEntry("FLY_API_TOKEN", "FlyV1 fm2_secret-token");
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
    void healthTakesAReadOnlyTokenOfItsOwnWhenOneIsGiven() {
        StackConfig config = StackConfig.fromEnv(
                Path.of("/repo"),
                Map.of(
                        "FLY_API_TOKEN", "FlyV1 fm2_org-token",
                        "FLOTILLA_FLY_ORG", "acme",
                        "FLOTILLA_HEALTH_FLY_API_TOKEN", "FlyV1 fm2_readonly-token"));

        assertThat(config.serviceEnv("health-service", SECRETS))
                .containsEntry("FLY_API_TOKEN", "FlyV1 fm2_readonly-token");
        assertThat(config.serviceEnv("provisioner-service", SECRETS))
                .containsEntry("FLY_API_TOKEN", "FlyV1 fm2_org-token");
        assertThat(config.toString()).doesNotContain("readonly-token");
    }

    @Test
    void aTrialsWarmPoolConfiguresTheProvisionerAloneAndIsRecordedForTheNextTrial() {
        StackConfig config = StackConfig.fromEnv(Path.of("/repo"), Map.of())
                .withWarmPool(new StackConfig.WarmPool("fra", 3, "starter"));

        assertThat(config.serviceEnv("provisioner-service", SECRETS))
                .containsEntry("FLOTILLA_POOL_ENABLED", "true")
                .containsEntry("FLOTILLA_PROVISIONER_POOL_TARGETS_FRA", "3")
                .containsEntry("FLOTILLA_PROVISIONER_POOL_CLAIM_PLAN", "starter");
        assertThat(config.serviceEnv("registry-service", SECRETS)).doesNotContainKey("FLOTILLA_POOL_ENABLED");
        assertThat(StackConfig.fromEnv(Path.of("/repo"), Map.of()).serviceEnv("provisioner-service", SECRETS))
                .as("no pool unless a trial asks for one")
                .doesNotContainKey("FLOTILLA_POOL_ENABLED");
        assertThat(config.warmPool().marker()).isEqualTo("fra:3:starter");
    }

    @Test
    void aTokenWithoutAnOrgStaysOnLocalFly() {
        StackConfig config = StackConfig.fromEnv(Path.of("/repo"), Map.of("FLY_API_TOKEN", "t"));

        assertThat(config.fly().name()).isEqualTo("local-fly");
    }
}
