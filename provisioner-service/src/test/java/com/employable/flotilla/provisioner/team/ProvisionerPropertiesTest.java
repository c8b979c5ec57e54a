package com.employable.flotilla.provisioner.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.provisioner.fly.FlyProperties;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class ProvisionerPropertiesTest {

    public static final String GATEWAY = "dW5pdC1nYXRld2F5LWtleS0wMTIzNDU2Nzg5YWJjZGVmMDEyMw==";
    public static final String GATEWAY_PREVIOUS = "dW5pdC1vbGQtZ2F0ZXdheS1rZXktMDEyMzQ1Njc4OWFiY2RlZg==";
    public static final String PROBE = "dW5pdC1wcm9iZS1rZXktMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NQ==";
    public static final String PROBE_PREVIOUS = "dW5pdC1vbGQtcHJvYmUta2V5LTAxMjM0NTY3ODlhYmNkZWYwMQ==";
    public static final String TEAM_DB = "dW5pdC10ZWFtLWRiLWtleS0wMTIzNDU2Nzg5YWJjZGVmMDEyMw==";

    public static ProvisionerProperties properties(
            String gateway,
            String gatewayPrevious,
            String probe,
            String probePrevious,
            String teamDb,
            Map<String, List<String>> regionGroups) {
        return new ProvisionerProperties(
                "image",
                null,
                regionGroups,
                true,
                gateway,
                gatewayPrevious,
                probe,
                probePrevious,
                teamDb,
                new ProvisionerProperties.TeamServer(
                        null,
                        null,
                        null,
                        null,
                        "jdbc:postgresql://db/team?user=team&password=team-url-secret",
                        "jdbc:postgresql://db/team?user=admin&password=admin-url-secret",
                        Map.of("EXTRA", "extra-secret")),
                4,
                Duration.ofSeconds(60),
                true,
                Duration.ofMinutes(10),
                5,
                0.5,
                Duration.ofMinutes(3),
                Duration.ofSeconds(2),
                Duration.ofMinutes(5),
                Duration.ofSeconds(30),
                Duration.ofMinutes(2),
                3,
                1,
                Duration.ofSeconds(15),
                true);
    }

    @Test
    void toStringPrintsNoKeyNoPasswordAndNoToken() {
        String printed = properties(GATEWAY, GATEWAY_PREVIOUS, PROBE, PROBE_PREVIOUS, TEAM_DB, null)
                .toString();
        assertThat(printed)
                .doesNotContain(
                        GATEWAY,
                        GATEWAY_PREVIOUS,
                        PROBE,
                        PROBE_PREVIOUS,
                        TEAM_DB,
                        "team-url-secret",
                        "admin-url-secret",
                        "extra-secret")
                .contains("gatewayKey=(set)");

        var fly = new FlyProperties(
                URI.create("https://api.machines.dev"),
                "fly-token-secret-value",
                "org",
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                5,
                Duration.ofMillis(200),
                Duration.ofSeconds(13));
        assertThat(fly.toString()).doesNotContain("fly-token-secret-value");
    }

    @Test
    void regionGroupsDefaultToFlysRegionsAndKeepFallbackInsideTheGroup() {
        RegionGroups groups = properties(GATEWAY, "", PROBE, "", TEAM_DB, null).residency();
        // every one of Fly's 18 current regions (fly-machines-api.md §6), each in exactly one group
        List<String> fly = List.of(
                "ams", "arn", "cdg", "fra", "lhr", "dfw", "ewr", "iad", "lax", "ord", "sjc", "yyz", "bom", "gru", "jnb",
                "nrt", "sin", "syd");
        assertThat(groups.groups().values().stream()
                        .flatMap(List::stream)
                        .sorted()
                        .toList())
                .containsExactlyElementsOf(fly.stream().sorted().toList());
        assertThat(groups.candidates("fra", null)).containsExactly("fra", "ams", "cdg", "arn");
        assertThat(groups.candidates("cdg", "ams")).containsExactly("ams", "cdg", "fra", "arn");
        // a placement outside the group (an older fallback) is never reused
        assertThat(groups.candidates("fra", "iad")).doesNotContain("iad").startsWith("fra");
        assertThat(groups.candidates("syd", null)).containsExactlyInAnyOrder("syd", "sin", "nrt", "bom");
        assertThatThrownBy(() -> groups.candidates("xyz", null)).hasMessageContaining("region-groups");
    }

    @Test
    void configuredGroupsReplaceDefaultsAndARegionMayBeInOneGroupOnly() {
        RegionGroups groups = properties(
                        GATEWAY, "", PROBE, "", TEAM_DB, Map.of("eu", List.of("fra", "ams"), "uk", List.of()))
                .residency();
        assertThat(groups.candidates("fra", null)).containsExactly("fra", "ams");
        assertThat(groups.groupOf("lhr")).isEmpty();
        assertThat(groups.groupOf("cdg")).isEmpty();
        assertThatThrownBy(() -> properties(GATEWAY, "", PROBE, "", TEAM_DB, Map.of("europe", List.of("fra"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two region groups");
    }
}
