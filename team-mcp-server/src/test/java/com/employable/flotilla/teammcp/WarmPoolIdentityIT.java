package com.employable.flotilla.teammcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.teammcp.auth.CheckTokens;
import com.employable.flotilla.teammcp.identity.IdentityFile;
import com.employable.flotilla.teammcp.support.RawHttp;
import com.employable.flotilla.teammcp.support.RunningServer;
import com.employable.flotilla.teammcp.support.TeamDatabase;
import com.employable.flotilla.teammcp.support.TeamDatabase.TeamRole;
import com.employable.flotilla.teammcp.support.Tokens;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fly's warm-pool blueprint: a pool machine's server boots with a placeholder identity and takes its team's identity
 * from a file the provisioner writes by exec after a claim. Until then it authenticates nothing but answers
 * {@code /healthz}; from the switch on it is exactly the team's server.
 */
class WarmPoolIdentityIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SWITCH = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final byte[] placeholderKey = Tokens.newTeamKey();
    private final String placeholderProbe = "probe-pool-" + Tokens.base64Url(Tokens.newTeamKey());
    private final String poolCheckToken = "check-pool-" + Tokens.base64Url(Tokens.newTeamKey());
    private final String team = UUID.randomUUID().toString();
    private final byte[] teamKey = Tokens.newTeamKey();
    private final String teamProbe = "probe-team-" + Tokens.base64Url(Tokens.newTeamKey());
    private final String resourceUrl = "https://flotilla-pool-k3j9x0a1b2c3d4e5.fly.dev/mcp";

    @Test
    void aPoolServerAuthenticatesNothingUntilItsIdentityFileNamesTheTeamThenServesThatTeamOnly() throws Exception {
        TeamDatabase database = TeamDatabase.create();
        TeamRole role = database.ensureRole(team);
        Path file = dir.resolve("identity.env");
        try (RunningServer server = RunningServer.startFromEnv(poolEnv(file))) {
            String token = Tokens.gatewayToken(teamKey, team);
            assertThat(server.servedTeam()).isEmpty();
            assertThat(RawHttp.get(server.port(), "/healthz", Map.of()).status())
                    .isEqualTo(200);
            for (String refused : new String[] {
                token, teamProbe, placeholderProbe, server.gatewayToken(), Tokens.gatewayToken(placeholderKey, team)
            }) {
                RawHttp.Response answer = initialize(server, refused);
                assertThat(answer.status()).isEqualTo(503);
                assertThat(JSON.readTree(answer.body())
                                .path("error")
                                .path("code")
                                .asInt())
                        .isEqualTo(-32603);
                assertThat(answer.body()).doesNotContain(refused);
            }
            assertThat(check(server, CheckTokens.derive(teamProbe)).status()).isEqualTo(503);
            assertThat(check(server, CheckTokens.derive(placeholderProbe)).status())
                    .isEqualTo(503);
            assertThat(check(server, poolCheckToken).status()).isEqualTo(503);
            RawHttp.Response metadata =
                    RawHttp.get(server.port(), "/.well-known/oauth-protected-resource/mcp", Map.of());
            assertThat(metadata.status()).isEqualTo(503);
            assertThat(metadata.header("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).contains("json"));

            writeAtomically(file, identity(team, teamKey, teamProbe, database, role));

            await().atMost(SWITCH)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> initialize(server, token).status() == 200);
            assertThat(server.servedTeam()).hasValue(team);
            try (McpSyncClient client = server.client(token)) {
                client.initialize();
                assertThat(client.listTools().tools().stream().map(Tool::name)).contains("team_info", "notes_add");
                JsonNode info = structured(client.callTool(new CallToolRequest("team_info", Map.of())));
                assertThat(info.path("teamId").asString()).isEqualTo(team);
                // the notes database is the team's, through the team's own role
                JsonNode added = structured(client.callTool(
                        new CallToolRequest("notes_add", Map.of("title", "Claimed", "body", "from the pool"))));
                assertThat(added.path("note").path("id").asString()).isNotBlank();
            }
            try (McpSyncClient probe = server.client(teamProbe)) {
                probe.initialize();
                assertThat(probe.listTools().tools()).isNotEmpty();
            }
            assertThat(check(server, CheckTokens.derive(teamProbe)).status()).isEqualTo(200);
            assertThat(check(server, CheckTokens.derive(placeholderProbe)).status())
                    .isEqualTo(401);
            // the pool machine's mcp check (its config is not updated by an exec claim) passes for the team now
            RawHttp.Response poolCheck = check(server, poolCheckToken);
            assertThat(poolCheck.status()).isEqualTo(200);
            assertThat(poolCheck.body()).startsWith("MCP ok");
            RawHttp.Response teamMetadata =
                    RawHttp.get(server.port(), "/.well-known/oauth-protected-resource/mcp", Map.of());
            assertThat(teamMetadata.status()).isEqualTo(200);
            assertThat(JSON.readTree(teamMetadata.body()).path("resource").asString())
                    .isEqualTo(resourceUrl);
            // the gateway's path for the team (fly-replay mode) is served too
            assertThat(RawHttp.post(
                                    server.port(),
                                    "/" + team + "/mcp",
                                    headers(token),
                                    CanonicalPathIT.initializeBody())
                            .status())
                    .isEqualTo(200);
            // nothing of the placeholder authenticates any more
            for (String refused : new String[] {
                server.gatewayToken(), Tokens.gatewayToken(placeholderKey, team), placeholderProbe, poolCheckToken
            }) {
                assertThat(initialize(server, refused).status()).isEqualTo(401);
            }

            // a second, different identity is ignored: the server stays the first team's
            String other = UUID.randomUUID().toString();
            byte[] otherKey = Tokens.newTeamKey();
            writeAtomically(file, identity(other, otherKey, "probe-other-" + Tokens.base64Url(otherKey), null, null));
            await().during(Duration.ofMillis(500))
                    .atMost(SWITCH)
                    .until(() -> initialize(server, Tokens.gatewayToken(otherKey, other))
                                            .status()
                                    == 401
                            && initialize(server, token).status() == 200);
            assertThat(server.servedTeam()).hasValue(team);
        }
    }

    @Test
    void aRefusedFileLeavesThePoolServerWaitingForACorrectedOne() throws Exception {
        Path file = dir.resolve("identity.env");
        try (RunningServer server = RunningServer.startFromEnv(poolEnv(file))) {
            String token = Tokens.gatewayToken(teamKey, team);
            var unknownKey = identity(team, teamKey, teamProbe, null, null);
            unknownKey.put(ServerConfig.ALLOWED_HOSTS, "*");
            writeAtomically(file, unknownKey);
            await().during(Duration.ofMillis(300))
                    .atMost(SWITCH)
                    .until(() -> initialize(server, token).status() == 503);
            assertThat(server.servedTeam()).isEmpty();

            writeAtomically(file, identity(team, teamKey, teamProbe, null, null));
            await().atMost(SWITCH).until(() -> initialize(server, token).status() == 200);
            assertThat(server.servedTeam()).hasValue(team);
        }
    }

    @Test
    void aPoolServerTakesAnIdentityFileThatIsAlreadyThereAtBoot() throws Exception {
        Path file = dir.resolve("identity.env");
        writeAtomically(file, identity(team, teamKey, teamProbe, null, null));
        try (RunningServer server = RunningServer.startFromEnv(poolEnv(file))) {
            await().atMost(SWITCH).until(() -> server.servedTeam().isPresent());
            assertThat(initialize(server, Tokens.gatewayToken(teamKey, team)).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void aClaimedPoolMachineBootingAgainStartsAsItsTeamFromItsAppsIdentitySecret() throws Exception {
        // a boot from stopped: a fresh root filesystem (no file), the pool's config, and the app's secrets, which
        // now hold the team's credentials and its identity
        var env = poolEnv(dir.resolve("identity.env"));
        env.put(ServerConfig.TEAM_TOKEN_KEY, Tokens.base64Url(teamKey));
        env.put(ServerConfig.PROBE_TOKEN, teamProbe);
        env.put(IdentityFile.SECRET_ENV, content(identity(team, teamKey, teamProbe, null, null)));
        try (RunningServer server = RunningServer.startFromEnv(env)) {
            assertThat(server.servedTeam())
                    .as("no pool mode: the team's at once")
                    .hasValue(team);
            assertThat(initialize(server, Tokens.gatewayToken(teamKey, team)).status())
                    .isEqualTo(200);
            assertThat(check(server, poolCheckToken).status())
                    .as("the pool machine's mcp check still opens the self-check")
                    .isEqualTo(200);
            assertThat(initialize(server, Tokens.gatewayToken(placeholderKey, team))
                            .status())
                    .isEqualTo(401);
        }
    }

    @Test
    void aClaimedPoolMachineWithTheTeamsDatabaseBootsAsTheTeamOrWaitsInPoolModeButNeverFailsToStart() throws Exception {
        // the claimed app's secrets hold the team's database password, the pool's config no database URL: a boot
        // that validated that env as is refused to start (and Fly marked the machine failed)
        TeamDatabase database = TeamDatabase.create();
        TeamRole role = database.ensureRole(team);
        var env = poolEnv(dir.resolve("identity.env"));
        env.put(ServerConfig.TEAM_TOKEN_KEY, Tokens.base64Url(teamKey));
        env.put(ServerConfig.PROBE_TOKEN, teamProbe);
        env.put(ServerConfig.DATABASE_PASSWORD, role.password());
        try (RunningServer waiting = RunningServer.startFromEnv(env)) {
            assertThat(waiting.servedTeam())
                    .as("no identity secret yet: pool mode")
                    .isEmpty();
        }
        env.put(IdentityFile.SECRET_ENV, content(identity(team, teamKey, teamProbe, database, role)));
        try (RunningServer server = RunningServer.startFromEnv(env);
                McpSyncClient client = server.client(Tokens.gatewayToken(teamKey, team))) {
            assertThat(server.servedTeam()).hasValue(team);
            client.initialize();
            JsonNode added = structured(client.callTool(
                    new CallToolRequest("notes_add", Map.of("title", "After a stop", "body", "still the team's"))));
            assertThat(added.path("note").path("id").asString()).isNotBlank();
        }
    }

    @Test
    void anIdentitySecretThatIsRefusedLeavesThePoolServerWaitingForItsFile() throws Exception {
        Path file = dir.resolve("identity.env");
        var env = poolEnv(file);
        var placeholderTeam = identity("pool-other", teamKey, teamProbe, null, null);
        env.put(IdentityFile.SECRET_ENV, content(placeholderTeam));
        try (RunningServer server = RunningServer.startFromEnv(env)) {
            assertThat(server.servedTeam()).isEmpty();
            writeAtomically(file, identity(team, teamKey, teamProbe, null, null));
            await().atMost(SWITCH).until(() -> server.servedTeam().isPresent());
            assertThat(server.servedTeam()).hasValue(team);
        }
    }

    @Test
    void aServerStartedWithARealTeamIdentityIgnoresAPresentIdentityFile() throws Exception {
        Path file = dir.resolve("identity.env");
        writeAtomically(file, identity(team, teamKey, teamProbe, null, null));
        var env = poolEnv(file);
        env.put(ServerConfig.TEAM_ID, "alpha");
        try (RunningServer server = RunningServer.startFromEnv(env)) {
            assertThat(server.servedTeam()).hasValue("alpha");
            try (McpSyncClient client = server.client(server.gatewayToken())) {
                client.initialize();
                JsonNode info = structured(client.callTool(new CallToolRequest("team_info", Map.of())));
                assertThat(info.path("teamId").asString()).isEqualTo("alpha");
            }
            assertThat(initialize(server, Tokens.gatewayToken(teamKey, team)).status())
                    .isEqualTo(401);
            assertThat(initialize(server, teamProbe).status()).isEqualTo(401);
            // a file written later is ignored as well
            writeAtomically(file, identity(team, teamKey, teamProbe + "-2", null, null));
            await().during(Duration.ofMillis(300))
                    .atMost(SWITCH)
                    .until(() -> initialize(server, Tokens.gatewayToken(teamKey, team))
                                    .status()
                            == 401);
            assertThat(server.servedTeam()).hasValue("alpha");
        }
    }

    private Map<String, String> poolEnv(Path file) {
        var env = new HashMap<String, String>();
        env.put(ServerConfig.TEAM_ID, "pool-k3j9x0a1b2c3d4e5");
        env.put(ServerConfig.PORT, "0");
        env.put(ServerConfig.BIND, "127.0.0.1");
        env.put(ServerConfig.TEAM_TOKEN_KEY, Tokens.base64Url(placeholderKey));
        env.put(ServerConfig.PROBE_TOKEN, placeholderProbe);
        env.put(ServerConfig.CHECK_TOKEN, poolCheckToken);
        env.put(ServerConfig.FLY_REGION, "fra");
        env.put(IdentityFile.ENV, file.toString());
        return env;
    }

    private Map<String, String> identity(
            String teamId, byte[] key, String probe, TeamDatabase database, TeamRole role) {
        var identity = new LinkedHashMap<String, String>();
        identity.put(ServerConfig.TEAM_ID, teamId);
        identity.put(ServerConfig.TEAM_TOKEN_KEY, Tokens.base64Url(key));
        identity.put(ServerConfig.PROBE_TOKEN, probe);
        identity.put(ServerConfig.RESOURCE_URL, resourceUrl);
        if (database != null) {
            identity.put(ServerConfig.DATABASE_URL, database.jdbcUrl());
            identity.put(ServerConfig.DATABASE_USER, role.name());
            identity.put(ServerConfig.DATABASE_PASSWORD, role.password());
        }
        return identity;
    }

    /** As the provisioner's exec writes it: a temp file in the same directory, then a rename over the target. */
    private static String content(Map<String, String> identity) {
        var content = new StringBuilder();
        identity.forEach(
                (key, value) -> content.append(key).append('=').append(value).append('\n'));
        return content.toString();
    }

    private static void writeAtomically(Path file, Map<String, String> identity) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "identity", ".tmp");
        Files.writeString(temp, content(identity), StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static RawHttp.Response initialize(RunningServer server, String token) throws IOException {
        return RawHttp.post(server.port(), "/mcp", headers(token), CanonicalPathIT.initializeBody());
    }

    private static RawHttp.Response check(RunningServer server, String checkToken) throws IOException {
        return RawHttp.get(server.port(), TeamMcpServerMain.MCP_CHECK_PATH, headers(checkToken));
    }

    private static Map<String, String> headers(String token) {
        return Map.of("Authorization", "Bearer " + token, "Accept", "application/json, text/event-stream");
    }

    private static JsonNode structured(CallToolResult result) {
        assertThat(result.isError()).as("tool error: %s", result.content()).isFalse();
        return JSON.valueToTree(result.structuredContent());
    }
}
