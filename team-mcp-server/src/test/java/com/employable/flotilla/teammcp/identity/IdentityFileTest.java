package com.employable.flotilla.teammcp.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.teammcp.Secret;
import com.employable.flotilla.teammcp.ServerConfig;
import com.employable.flotilla.teammcp.identity.IdentityFile.Outcome;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityFileTest {

    private static final String TEAM = "3f6c1a2e-8b4d-4c1e-9a7f-2d5b6e8c0a14";
    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    private static final String PROBE = "probe-secret-value-0123456789";
    private static final String DB_PASSWORD = "db-password-never-shown";

    /** The pool machine's env: a placeholder identity with throw-away secrets, Fly's runtime, a port. */
    private static final Map<String, String> POOL_ENV = Map.of(
            ServerConfig.TEAM_ID, "pool-k3j9x0a1b2c3d4e5",
            ServerConfig.TEAM_TOKEN_KEY, "HyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4",
            ServerConfig.TEAM_TOKEN_KEY_PREVIOUS, "PT4_QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1w",
            ServerConfig.PROBE_TOKEN, "placeholder-probe-token-0000",
            ServerConfig.PORT, "8080",
            ServerConfig.FLY_APP_NAME, "flotilla-pool-k3j9x0a1b2c3d4e5",
            ServerConfig.FLY_REGION, "fra",
            IdentityFile.ENV, "identity.env");

    private static String valid() {
        return String.join(
                "\n",
                ServerConfig.TEAM_ID + "=" + TEAM,
                ServerConfig.TEAM_TOKEN_KEY + "=" + KEY,
                ServerConfig.PROBE_TOKEN + "=" + PROBE,
                ServerConfig.RESOURCE_URL + "=https://flotilla-pool-k3j9x0a1b2c3d4e5.fly.dev/mcp",
                ServerConfig.DATABASE_URL + "=jdbc:postgresql://db.internal:5432/flotilla",
                ServerConfig.DATABASE_USER + "=flotilla_team_x",
                ServerConfig.DATABASE_PASSWORD + "=" + DB_PASSWORD,
                "");
    }

    private static Outcome parse(String content) {
        return IdentityFile.parse(content.getBytes(StandardCharsets.UTF_8), POOL_ENV);
    }

    @Test
    void aValidFileIsTheTeamsWholeConfigWithTheEnvsRuntime() {
        Outcome outcome = parse(valid());

        assertThat(outcome).isInstanceOf(Outcome.Identity.class);
        ServerConfig config = ((Outcome.Identity) outcome).config();
        assertThat(config.teamId()).isEqualTo(TEAM);
        assertThat(config.teamTokenKey().map(Secret::bytes))
                .hasValueSatisfying(bytes -> assertThat(bytes).hasSize(32).startsWith(0, 1, 2, 3));
        assertThat(config.probeToken())
                .hasValueSatisfying(probe -> assertThat(probe.matches(PROBE)).isTrue());
        assertThat(config.resourceUrl()).hasValue(URI.create("https://flotilla-pool-k3j9x0a1b2c3d4e5.fly.dev/mcp"));
        assertThat(config.database()).isPresent();
        assertThat(config.database().get().user()).hasValue("flotilla_team_x");
        // the env's runtime stays; nothing of the placeholder's secrets survives (its previous key included)
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.fly().region()).hasValue("fra");
        assertThat(config.previousTeamTokenKey()).isEmpty();
        assertThat(config.previousProbeToken()).isEmpty();
    }

    @Test
    void crlfLinesBlankLinesAndRotationKeysAreAccepted() {
        String content = valid().replace("\n", "\r\n") + "\r\n" + ServerConfig.TEAM_TOKEN_KEY_PREVIOUS + "="
                + "HyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4\r\n" + ServerConfig.PROBE_TOKEN_PREVIOUS
                + "=previous-probe-token-1234\r\n";

        Outcome outcome = parse(content);

        assertThat(outcome).isInstanceOf(Outcome.Identity.class);
        assertThat(((Outcome.Identity) outcome).config().previousTeamTokenKey()).isPresent();
        assertThat(((Outcome.Identity) outcome).config().previousProbeToken()).isPresent();
    }

    @Test
    void anUnknownKeyIsRefusedByName() {
        assertRefused(valid() + "FLOTILLA_ALLOWED_HOSTS=*\n", "FLOTILLA_ALLOWED_HOSTS is not allowed");
        assertRefused(valid() + "PORT=9999\n", "PORT is not allowed");
    }

    @Test
    void aDuplicateKeyIsRefused() {
        assertRefused(
                valid() + ServerConfig.PROBE_TOKEN + "=" + PROBE + "-again\n", "PROBE_TOKEN appears more than once");
    }

    @Test
    void aPoolPlaceholderTeamIdIsRefused() {
        assertRefused(valid().replace(TEAM, "pool-zzzzzzzzzzzzzzzz"), ServerConfig.TEAM_ID + " is a pool placeholder");
    }

    @Test
    void aMissingRequiredKeyIsRefusedAndNeverInheritedFromThePlaceholder() {
        for (String required : IdentityFile.REQUIRED) {
            String without = valid().lines()
                    .filter(line -> !line.startsWith(required + "="))
                    .reduce("", (a, b) -> a + b + "\n");
            assertRefused(without, required + " is missing");
        }
        assertRefused(
                valid().replace(ServerConfig.PROBE_TOKEN + "=" + PROBE, ServerConfig.PROBE_TOKEN + "="),
                "PROBE_TOKEN is missing");
        assertRefused("", "is missing");
    }

    @Test
    void aConfigThatFailsTheStartsValidationIsRefused() {
        assertRefused(
                valid().replace(KEY, "not-a-key-" + KEY), ServerConfig.TEAM_TOKEN_KEY + " is not valid base64url");
        assertRefused(valid().replace(TEAM, "Upper-Case-Team"), ServerConfig.TEAM_ID + " must be");
        assertRefused(valid().replace(PROBE, "short"), ServerConfig.PROBE_TOKEN + " must be at least");
        // on Fly the resource URL is required, and a placeholder's is never inherited
        String noResource = valid().lines()
                .filter(line -> !line.startsWith(ServerConfig.RESOURCE_URL))
                .reduce("", (a, b) -> a + b + "\n");
        assertRefused(noResource, ServerConfig.RESOURCE_URL + " is required on Fly");
    }

    @Test
    void aLineThatIsNotKeyValueIsRefusedWithoutEchoingIt() {
        assertRefused(valid() + PROBE + "\n", "line 8 is not KEY=value");
        assertRefused(valid() + "lower_case=" + PROBE + "\n", "line 8 is not KEY=value");
        assertRefused("=" + PROBE, "line 1 is not KEY=value");
    }

    @Test
    void aFileThatIsNotUtf8OrTooLargeIsRefused() {
        byte[] latin1 = (valid() + "FLOTILLA_DATABASE_USER=\u00e9t\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(IdentityFile.parse(latin1, POOL_ENV)).isEqualTo(new Outcome.Refused("not UTF-8"));
        byte[] huge = (valid() + "\n".repeat(IdentityFile.MAX_BYTES)).getBytes(StandardCharsets.UTF_8);
        assertThat(IdentityFile.parse(huge, POOL_ENV)).isInstanceOf(Outcome.Refused.class);
    }

    @Test
    void onlyPoolIdsArePlaceholders() {
        assertThat(IdentityFile.isPoolPlaceholder("pool-abc")).isTrue();
        assertThat(IdentityFile.isPoolPlaceholder(TEAM)).isFalse();
        assertThat(IdentityFile.isPoolPlaceholder("alpha")).isFalse();
        assertThat(IdentityFile.isPoolPlaceholder(null)).isFalse();
    }

    @Test
    void theIdentitysConfigNeverPrintsItsSecrets() {
        String printed = ((Outcome.Identity) parse(valid())).config().toString();
        assertThat(printed).doesNotContain(PROBE, KEY, DB_PASSWORD);
    }

    private static void assertRefused(String content, String reason) {
        Outcome outcome = parse(content);
        assertThat(outcome).isInstanceOf(Outcome.Refused.class);
        String message = ((Outcome.Refused) outcome).reason();
        assertThat(message).contains(reason);
        // a refusal names keys and lines, never a value of the file or of the env
        assertThat(message).doesNotContain(PROBE, KEY, DB_PASSWORD, TEAM, "short", "pool-zzzz", "Upper-Case");
        for (String value : POOL_ENV.values()) {
            if (value.length() > 12) {
                assertThat(message).doesNotContain(value);
            }
        }
    }
}
