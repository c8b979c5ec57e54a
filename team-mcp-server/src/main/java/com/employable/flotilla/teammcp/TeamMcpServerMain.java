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
import com.employable.flotilla.teammcp.http.NoSessionsManager;
import com.employable.flotilla.teammcp.http.NotFoundServlet;
import com.employable.flotilla.teammcp.http.ProblemErrorReportValve;
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
import io.modelcontextprotocol.spec.ProtocolVersions;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.io.File;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.util.modeler.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The team's MCP server: the official SDK's Streamable HTTP servlet on embedded Tomcat, behind the team's auth gate.
 * No framework: start-up time is latency an agent feels every time Fly wakes a stopped machine.
 */
public final class TeamMcpServerMain implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TeamMcpServerMain.class);
    /**
     * Tomcat logs its start at INFO through java.util.logging; formatting those lines was a measurable part of a start
     * on one core and says nothing the server's own "listening" line does not. Held here because java.util.logging
     * keeps its loggers weakly and would forget the level.
     */
    private static final java.util.logging.Logger TOMCAT_LOG = java.util.logging.Logger.getLogger("org.apache");

    public static final String MCP_ENDPOINT = "/mcp";
    public static final String HEALTH_PATH = "/healthz";
    /** The MCP-level self-check Fly's machine check asks for (see {@link SelfCheckServlet}). */
    public static final String MCP_CHECK_PATH = "/healthz/mcp";
    /** The versions the SDK negotiates; any other MCP-Protocol-Version header is refused with 400. */
    public static final List<String> SUPPORTED_PROTOCOL_VERSIONS = List.of(
            ProtocolVersions.MCP_2024_11_05,
            ProtocolVersions.MCP_2025_03_26,
            ProtocolVersions.MCP_2025_06_18,
            ProtocolVersions.MCP_2025_11_25);

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(25);
    private static final int MAX_REQUEST_BYTES = 256 * 1024;
    /** Below the timeout the provisioner gives Fly's check (5 s), so a hung server is reported, not timed out. */
    private static final Duration SELF_CHECK_DEADLINE = Duration.ofSeconds(4);

    private final Tomcat tomcat;
    private final Http11NioProtocol protocol;
    private final McpSyncServer mcpServer;
    private final NotesDatabase database;
    private final AtomicBoolean stopping;

    private TeamMcpServerMain(
            Tomcat tomcat,
            Http11NioProtocol protocol,
            McpSyncServer mcpServer,
            NotesDatabase database,
            AtomicBoolean stopping) {
        this.tomcat = tomcat;
        this.protocol = protocol;
        this.mcpServer = mcpServer;
        this.database = database;
        this.stopping = stopping;
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--train")) {
            try {
                TrainingRun.run();
            } catch (Exception e) {
                System.err.println("team-mcp-server training run failed: " + e);
                System.exit(1);
            }
            // the SDK's session sweeper is not a daemon thread; the archive is written as the JVM exits
            System.exit(0);
        }
        long started = System.nanoTime();
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment();
        } catch (ConfigException e) {
            System.err.println("team-mcp-server cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        TeamMcpServerMain server;
        try {
            server = start(config, Clock.systemUTC());
        } catch (LifecycleException | RuntimeException e) {
            log.error("team-mcp-server failed to start: {}", e.toString());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "team-mcp-server-shutdown"));
        log.info(
                "team-mcp-server {} for team {} listening on {}:{} ({} ms)",
                BuildInfo.version(),
                config.teamId(),
                config.bindAddress(),
                server.port(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Starts a server; tests and benchmarks use this directly, the process entry point is {@link #main}. */
    public static TeamMcpServerMain start(ServerConfig config, Clock clock) throws LifecycleException {
        var jsonMapper = new JsonRpcErrorMapper(McpJsonDefaults.getMapper());
        var transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(jsonMapper)
                .mcpEndpoint(MCP_ENDPOINT)
                .keepAliveInterval(KEEP_ALIVE)
                .maxRequestSize(MAX_REQUEST_BYTES)
                .httpHeaderValidator(new RequestHeaderValidator(
                        config.allowedHosts(), config.allowedOrigins(), SUPPORTED_PROTOCOL_VERSIONS))
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

        var stopping = new AtomicBoolean();

        // JMX registration parses Tomcat's MBean descriptors (XML): half of Tomcat's start on one core, for beans
        // nobody reads on a team's machine
        Registry.disableRegistry();
        TOMCAT_LOG.setLevel(Level.WARNING);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(new File(
                        System.getProperty("java.io.tmpdir"),
                        "team-mcp-server-" + ProcessHandle.current().pid() + "-" + System.nanoTime())
                .getAbsolutePath());
        // typed setters: Connector.setPort/setProperty go through reflection, whose method handles were a fifth of
        // the server's own start on one core
        var protocol = new Http11NioProtocol();
        protocol.setPort(config.port());
        try {
            protocol.setAddress(InetAddress.getByName(config.bindAddress()));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot bind to " + config.bindAddress() + ": unknown host", e);
        }
        var urls = new ResourceUrls(config.resourceUrl(), MCP_ENDPOINT, protocol::getLocalPort);
        String teamEndpoint = teamEndpoint(config.teamId());
        var servedPaths = new HashSet<String>(urls.metadataPaths());
        servedPaths.addAll(List.of(MCP_ENDPOINT, teamEndpoint, HEALTH_PATH, MCP_CHECK_PATH));

        Connector connector = new Connector(protocol);
        // nothing but MCP is served here: no server banner, no directory of error pages
        connector.setXpoweredBy(false);
        tomcat.setConnector(connector);
        tomcat.getHost().setAutoDeploy(false);
        // what Tomcat refuses before any filter runs (an encoded slash, a backslash) gets a problem body too
        ((StandardHost) tomcat.getHost()).setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        Context context = servletContext();
        tomcat.getHost().addChild(context);

        addFilter(context, "canonical-paths", new CanonicalPathFilter(servedPaths));
        addFilter(context, "json-errors", new JsonErrorFilter());
        addFilter(
                context,
                "auth",
                new AuthFilter(
                        Authenticator.from(config, clock), urls, Set.of(Routes.HEALTH, Routes.PROTECTED_RESOURCE)));
        addServlet(context, Routes.HEALTH, new HealthServlet(stopping::get), HEALTH_PATH);
        var selfCheck = new McpSelfCheck(
                () -> McpSelfCheck.loopback(config.bindAddress(), protocol.getLocalPort(), MCP_ENDPOINT),
                config.probeToken(),
                SELF_CHECK_DEADLINE);
        addServlet(context, Routes.MCP_CHECK, new SelfCheckServlet(selfCheck, stopping::get), MCP_CHECK_PATH);
        var metadata = new ProtectedResourceMetadataServlet(urls, config.authorizationServers());
        addServlet(
                context,
                Routes.PROTECTED_RESOURCE,
                metadata,
                urls.metadataPaths().toArray(String[]::new));
        // fly-replay mode: Fly replays the agent's request to the gateway, /<team>/mcp, unchanged
        addServlet(context, Routes.MCP, transport, MCP_ENDPOINT, teamEndpoint);
        addServlet(context, Routes.NOT_FOUND, new NotFoundServlet(), "/");

        tomcat.start();
        database.warmUp();
        return new TeamMcpServerMain(tomcat, protocol, mcpServer, database, stopping);
    }

    /**
     * The gateway's path for this team ({@code /<team>/mcp}), which Fly replays here in fly-replay mode. Only this
     * server's own team: another team's path is not served at all.
     */
    public static String teamEndpoint(String teamId) {
        return "/" + teamId + MCP_ENDPOINT;
    }

    /** The tools this server offers; {@code ToolSchemasTest} checks their schemas. */
    static List<SyncToolSpecification> tools(ServerConfig config, NotesDatabase database) {
        var tools = new ArrayList<SyncToolSpecification>();
        tools.add(new TeamInfoTool(config, database.configured()).specification());
        tools.addAll(new NotesTools(database, config.teamId()).specifications());
        return List.copyOf(tools);
    }

    /**
     * The root context, without what {@link Tomcat#addContext} adds for web applications: a login authenticator and
     * a session manager, each setting up a SecureRandom at start for security constraints and HTTP sessions this
     * server never uses (MCP sessions are the SDK's own).
     */
    private static Context servletContext() {
        var context = new StandardContext();
        context.setName("");
        context.setPath("");
        context.setParentClassLoader(TeamMcpServerMain.class.getClassLoader());
        // every servlet and filter is handed over as an instance: no annotations to scan (each annotation type read
        // costs a proxy class generated at runtime)
        context.setIgnoreAnnotations(true);
        context.addLifecycleListener(event -> {
            if (Lifecycle.CONFIGURE_START_EVENT.equals(event.getType())) {
                context.setConfigured(true);
            }
        });
        context.setManager(new NoSessionsManager());
        return context;
    }

    private static void addFilter(Context context, String name, Filter filter) {
        var definition = new FilterDef();
        definition.setFilterName(name);
        definition.setFilter(filter);
        definition.setAsyncSupported("true");
        context.addFilterDef(definition);
        var mapping = new FilterMap();
        mapping.setFilterName(name);
        mapping.addURLPattern("/*");
        context.addFilterMap(mapping);
    }

    /** Unlike {@link Tomcat#addServlet}, does not read the servlet's {@code @WebServlet}: see setIgnoreAnnotations. */
    private static Wrapper addServlet(Context context, String name, HttpServlet servlet, String... patterns) {
        Wrapper wrapper = context.createWrapper();
        wrapper.setName(name);
        wrapper.setServletClass(servlet.getClass().getName());
        wrapper.setServlet(servlet);
        wrapper.setAsyncSupported(true);
        context.addChild(wrapper);
        for (String pattern : patterns) {
            context.addServletMappingDecoded(pattern, name);
        }
        return wrapper;
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int port() {
        return protocol.getLocalPort();
    }

    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        // end open SSE streams first: Tomcat would otherwise wait for them during its own stop
        try {
            mcpServer.closeGracefully();
        } catch (RuntimeException e) {
            log.warn("MCP sessions did not close cleanly: {}", e.toString());
        }
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            log.warn("Tomcat did not stop cleanly: {}", e.toString());
        }
        database.close();
    }
}
