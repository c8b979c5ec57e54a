package com.employable.flotilla.teammcp;

import com.employable.flotilla.teammcp.auth.AuthFilter;
import com.employable.flotilla.teammcp.auth.Authenticator;
import com.employable.flotilla.teammcp.auth.Principal;
import com.employable.flotilla.teammcp.auth.ProtectedResourceMetadataServlet;
import com.employable.flotilla.teammcp.auth.ResourceUrls;
import com.employable.flotilla.teammcp.http.CanonicalPathFilter;
import com.employable.flotilla.teammcp.http.HealthServlet;
import com.employable.flotilla.teammcp.http.JsonErrorFilter;
import com.employable.flotilla.teammcp.http.JsonRpcErrorMapper;
import com.employable.flotilla.teammcp.http.NotFoundServlet;
import com.employable.flotilla.teammcp.http.RequestHeaderValidator;
import com.employable.flotilla.teammcp.http.Routes;
import com.employable.flotilla.teammcp.notes.NotesDatabase;
import com.employable.flotilla.teammcp.notes.NotesTools;
import com.employable.flotilla.teammcp.selfcheck.McpSelfCheck;
import com.employable.flotilla.teammcp.selfcheck.SelfCheckServlet;
import com.employable.flotilla.teammcp.teaminfo.TeamInfoTool;
import com.employable.flotilla.teammcp.tools.DeferredSchemaValidator;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.catalina.Context;
import org.apache.coyote.http11.Http11NioProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that serves requests for one team, built from that team's {@link ServerConfig}: the MCP server and its
 * tools, the notes database, the auth gate, the self-check and the RFC 9728 metadata, as one Tomcat context. A server
 * started with a team's env builds one at start; a warm-pool server builds one when its identity file arrives and
 * swaps it in for the pool-mode context ({@link TeamMcpServerMain}), so both serve exactly the same thing.
 */
final class TeamApp {

    private static final Logger log = LoggerFactory.getLogger(TeamApp.class);

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(25);
    private static final int MAX_REQUEST_BYTES = 256 * 1024;
    /** Below the timeout the provisioner gives Fly's check (5 s), so a hung server is reported, not timed out. */
    private static final Duration SELF_CHECK_DEADLINE = Duration.ofSeconds(4);

    private final ServerConfig config;
    private final Context context;
    private final McpSyncServer mcpServer;
    private final NotesDatabase database;

    private TeamApp(ServerConfig config, Context context, McpSyncServer mcpServer, NotesDatabase database) {
        this.config = config;
        this.context = context;
        this.mcpServer = mcpServer;
        this.database = database;
    }

    /**
     * @param protocol the connector, already configured (the loopback self-check and the default resource URL ask it
     *                 for the bound port, only once requests arrive)
     * @param version the context's version: Tomcat routes new requests to the highest version of the root context
     */
    static TeamApp build(
            ServerConfig config, Clock clock, Http11NioProtocol protocol, BooleanSupplier stopping, String version) {
        String mcpEndpoint = TeamMcpServerMain.MCP_ENDPOINT;
        var jsonMapper = new JsonRpcErrorMapper(McpJsonDefaults.getMapper());
        var transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(jsonMapper)
                .mcpEndpoint(mcpEndpoint)
                .keepAliveInterval(KEEP_ALIVE)
                .maxRequestSize(MAX_REQUEST_BYTES)
                .httpHeaderValidator(new RequestHeaderValidator(
                        config.allowedHosts(), config.allowedOrigins(), TeamMcpServerMain.SUPPORTED_PROTOCOL_VERSIONS))
                // tools see who called them (team_info reports it) through the transport context
                .contextExtractor(request -> {
                    Object principal = request.getAttribute(Principal.ATTRIBUTE);
                    return principal == null
                            ? McpTransportContext.EMPTY
                            : McpTransportContext.create(Map.of(Principal.ATTRIBUTE, principal));
                })
                .build();

        var database = new NotesDatabase(config.database(), config.teamId());
        List<SyncToolSpecification> tools = tools(config, database);

        McpSyncServer mcpServer = McpServer.sync(transport)
                .jsonMapper(jsonMapper)
                .jsonSchemaValidator(DeferredSchemaValidator.forOwnTools(tools))
                .serverInfo(BuildInfo.NAME, BuildInfo.version())
                .instructions("The MCP server of team " + config.teamId() + ": team_info tells who and where it is; "
                        + "notes_* keep the team's shared knowledge, visible to this team only.")
                .capabilities(ServerCapabilities.builder().tools(false).build())
                .tools(tools)
                .build();

        var urls = new ResourceUrls(config.resourceUrl(), mcpEndpoint, protocol::getLocalPort);
        String teamEndpoint = TeamMcpServerMain.teamEndpoint(config.teamId());
        var servedPaths = new HashSet<String>(urls.metadataPaths());
        servedPaths.addAll(
                List.of(mcpEndpoint, teamEndpoint, TeamMcpServerMain.HEALTH_PATH, TeamMcpServerMain.MCP_CHECK_PATH));

        Context context = TomcatContexts.root(version);
        TomcatContexts.addFilter(context, "canonical-paths", new CanonicalPathFilter(servedPaths));
        TomcatContexts.addFilter(context, "json-errors", new JsonErrorFilter());
        TomcatContexts.addFilter(
                context,
                "auth",
                new AuthFilter(
                        Authenticator.from(config, clock), urls, Set.of(Routes.HEALTH, Routes.PROTECTED_RESOURCE)));
        TomcatContexts.addServlet(context, Routes.HEALTH, new HealthServlet(stopping), TeamMcpServerMain.HEALTH_PATH);
        var selfCheck = new McpSelfCheck(
                () -> McpSelfCheck.loopback(config.bindAddress(), protocol.getLocalPort(), mcpEndpoint),
                config.probeToken(),
                SELF_CHECK_DEADLINE);
        TomcatContexts.addServlet(
                context, Routes.MCP_CHECK, new SelfCheckServlet(selfCheck, stopping), TeamMcpServerMain.MCP_CHECK_PATH);
        var metadata = new ProtectedResourceMetadataServlet(urls, config.authorizationServers());
        TomcatContexts.addServlet(
                context,
                Routes.PROTECTED_RESOURCE,
                metadata,
                urls.metadataPaths().toArray(String[]::new));
        // fly-replay mode: Fly replays the agent's request to the gateway, /<team>/mcp, unchanged
        TomcatContexts.addServlet(context, Routes.MCP, transport, mcpEndpoint, teamEndpoint);
        TomcatContexts.addServlet(context, Routes.NOT_FOUND, new NotFoundServlet(), "/");
        return new TeamApp(config, context, mcpServer, database);
    }

    /** The tools this server offers; {@code ToolSchemasTest} checks their schemas. */
    static List<SyncToolSpecification> tools(ServerConfig config, NotesDatabase database) {
        var tools = new ArrayList<SyncToolSpecification>();
        tools.add(new TeamInfoTool(config, database.configured()).specification());
        tools.addAll(new NotesTools(database, config.teamId()).specifications());
        return List.copyOf(tools);
    }

    ServerConfig config() {
        return config;
    }

    Context context() {
        return context;
    }

    /** Opens the database's pool in the background, once the context serves. */
    void warmUpDatabase() {
        database.warmUp();
    }

    /** Ends open SSE streams (Tomcat would otherwise wait for them during its own stop); call before Tomcat stops. */
    void closeSessions() {
        try {
            mcpServer.closeGracefully();
        } catch (RuntimeException e) {
            log.warn("MCP sessions did not close cleanly: {}", e.toString());
        }
    }

    void closeDatabase() {
        database.close();
    }
}
