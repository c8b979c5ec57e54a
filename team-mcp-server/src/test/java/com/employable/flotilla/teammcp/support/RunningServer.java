package com.employable.flotilla.teammcp.support;

import com.employable.flotilla.teammcp.ServerConfig;
import com.employable.flotilla.teammcp.TeamMcpServerMain;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A team server started in this JVM exactly as the process starts it, from environment variables. */
public final class RunningServer implements AutoCloseable {

    private final TeamMcpServerMain server;
    private final String teamId;
    private final byte[] teamKey;
    private final String probeToken;

    private RunningServer(TeamMcpServerMain server, String teamId, byte[] teamKey, String probeToken) {
        this.server = server;
        this.teamId = teamId;
        this.teamKey = teamKey;
        this.probeToken = probeToken;
    }

    public static RunningServer start(String teamId, TeamDatabase database, TeamDatabase.TeamRole role)
            throws Exception {
        return start(teamId, database, role, Map.of());
    }

    public static RunningServer start(
            String teamId, TeamDatabase database, TeamDatabase.TeamRole role, Map<String, String> extraEnv)
            throws Exception {
        byte[] key = Tokens.newTeamKey();
        String probeToken = "probe-" + Tokens.base64Url(Tokens.newTeamKey());
        var env = new HashMap<String, String>();
        env.put(ServerConfig.TEAM_ID, teamId);
        env.put(ServerConfig.PORT, "0");
        env.put(ServerConfig.BIND, "127.0.0.1");
        env.put(ServerConfig.TEAM_TOKEN_KEY, Tokens.base64Url(key));
        env.put(ServerConfig.PROBE_TOKEN, probeToken);
        env.put(ServerConfig.FLY_REGION, "iad");
        env.put(ServerConfig.FLY_MACHINE_ID, "e2865641be9d86");
        if (database != null) {
            env.put(ServerConfig.DATABASE_URL, database.jdbcUrl());
            env.put(ServerConfig.DATABASE_USER, role.name());
            env.put(ServerConfig.DATABASE_PASSWORD, role.password());
        }
        env.putAll(extraEnv);
        var server = TeamMcpServerMain.start(ServerConfig.fromEnv(env), Clock.systemUTC());
        // a test may bring its own key and probe token (key rotation): report the ones the server really has
        return new RunningServer(
                server,
                teamId,
                Base64.getUrlDecoder().decode(env.get(ServerConfig.TEAM_TOKEN_KEY)),
                env.get(ServerConfig.PROBE_TOKEN));
    }

    /**
     * A server started from exactly this env, as the process starts (a warm-pool placeholder with an identity file
     * starts in pool mode); {@link #gatewayToken()} and {@link #probeToken()} are the env's.
     */
    public static RunningServer startFromEnv(Map<String, String> env) throws Exception {
        var server = TeamMcpServerMain.start(env, Clock.systemUTC());
        return new RunningServer(
                server,
                env.get(ServerConfig.TEAM_ID),
                Base64.getUrlDecoder().decode(env.get(ServerConfig.TEAM_TOKEN_KEY)),
                env.get(ServerConfig.PROBE_TOKEN));
    }

    /** The team this server serves, empty while a pool server waits for its identity. */
    public Optional<String> servedTeam() {
        return server.servedTeam();
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public int port() {
        return server.port();
    }

    public URI mcpUri() {
        return baseUri().resolve("/mcp");
    }

    public byte[] teamKey() {
        return teamKey;
    }

    public String probeToken() {
        return probeToken;
    }

    public String gatewayToken() {
        return Tokens.gatewayToken(teamKey, teamId);
    }

    /** A real MCP client (the official SDK) presenting the given bearer token. */
    public McpSyncClient client(String bearerToken) {
        return client(bearerToken, "/mcp");
    }

    /** The same, at another endpoint path (the team's own {@code /<team>/mcp}, which fly-replay mode replays to). */
    public McpSyncClient client(String bearerToken, String endpoint) {
        var transport = HttpClientStreamableHttpTransport.builder(baseUri().toString())
                .endpoint(endpoint)
                .connectTimeout(Duration.ofSeconds(5))
                .httpRequestCustomizer((request, method, uri, body, context) ->
                        request.header("Authorization", "Bearer " + bearerToken))
                .build();
        return McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(10))
                .initializationTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Override
    public void close() {
        server.close();
    }
}
