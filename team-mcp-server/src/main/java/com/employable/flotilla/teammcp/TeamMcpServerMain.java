package com.employable.flotilla.teammcp;

import com.employable.flotilla.teammcp.http.CanonicalPathFilter;
import com.employable.flotilla.teammcp.http.HealthServlet;
import com.employable.flotilla.teammcp.http.JsonErrorFilter;
import com.employable.flotilla.teammcp.http.ProblemErrorReportValve;
import com.employable.flotilla.teammcp.http.Routes;
import com.employable.flotilla.teammcp.identity.IdentityFile;
import com.employable.flotilla.teammcp.identity.IdentityWatcher;
import com.employable.flotilla.teammcp.identity.PoolModeServlet;
import com.employable.flotilla.teammcp.selfcheck.SelfCheckServlet;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.io.File;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.modeler.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The team's MCP server: the official SDK's Streamable HTTP servlet on embedded Tomcat, behind the team's auth gate.
 * No framework: start-up time is latency an agent feels every time Fly wakes a stopped machine.
 *
 * <p>A warm-pool server (env identity {@code pool-<entry>} and {@link IdentityFile#ENV} set) starts in pool mode:
 * only {@code /healthz} answers, everything else is refused, until its identity file appears. Then the team's whole
 * request-serving part ({@link TeamApp}) is built and added as a higher version of the root context; Tomcat maps
 * every new request to it from that moment, so a request sees pool mode or the whole team, never a mix.
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

    /**
     * Root context versions in pool mode: Tomcat maps every new request to the highest. The warm-up's throw-away team
     * context sits below the pool's, so it is never routed to; the team's sits above.
     */
    private static final String WARM_UP_VERSION = "1";

    private static final String POOL_VERSION = "2";
    private static final String TEAM_VERSION = "3";

    private final Tomcat tomcat;
    private final Http11NioProtocol protocol;
    private final Clock clock;
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Null while in pool mode; set once, under this object's lock. */
    private volatile TeamApp team;

    private Context poolContext;
    private IdentityWatcher watcher;

    private TeamMcpServerMain(Tomcat tomcat, Http11NioProtocol protocol, Clock clock) {
        this.tomcat = tomcat;
        this.protocol = protocol;
        this.clock = clock;
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
        TeamMcpServerMain server;
        try {
            server = start(System.getenv(), Clock.systemUTC());
        } catch (ConfigException e) {
            System.err.println("team-mcp-server cannot start: " + e.getMessage());
            System.exit(2);
            return;
        } catch (LifecycleException | RuntimeException e) {
            log.error("team-mcp-server failed to start: {}", e.toString());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "team-mcp-server-shutdown"));
        log.info(
                "team-mcp-server {} {} listening on {}:{} ({} ms)",
                BuildInfo.version(),
                server.team == null ? "in pool mode (waiting for its identity file)" : "for team " + server.teamId(),
                server.protocol.getAddress().getHostAddress(),
                server.port(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Starts a server from its env as the process does: a pool placeholder with an identity file starts as the team
     * its app's secrets name ({@link IdentityFile#SECRET_ENV}: a claimed machine booting again), else in pool mode;
     * any other env starts as its team, and ignores an identity file (a Fly update's env always wins).
     *
     * @throws ConfigException when the env does not describe a server that can start
     */
    public static TeamMcpServerMain start(Map<String, String> env, Clock clock) throws LifecycleException {
        Optional<Path> identityFile = IdentityFile.path(env);
        if (identityFile.isEmpty() || !IdentityFile.isPoolPlaceholder(env.get(ServerConfig.TEAM_ID))) {
            ServerConfig config = ServerConfig.fromEnv(env);
            if (identityFile.isPresent()) {
                log.info("Ignoring {}: the env carries the identity of team {}", IdentityFile.ENV, config.teamId());
            }
            return start(config, clock);
        }
        var claimed = IdentityFile.fromSecret(env);
        if (claimed.isPresent() && claimed.get() instanceof IdentityFile.Outcome.Identity identity) {
            // a claimed pool machine booting again: its app's secrets name the team
            log.info(
                    "A claimed pool machine: serving team {} from {}",
                    identity.config().teamId(),
                    IdentityFile.SECRET_ENV);
            return start(identity.config(), clock);
        }
        if (claimed.isPresent() && claimed.get() instanceof IdentityFile.Outcome.Refused refused) {
            log.error("Ignoring {}, waiting for the identity file: {}", IdentityFile.SECRET_ENV, refused.reason());
        }
        Map<String, String> placeholderEnv = IdentityFile.placeholderEnv(env);
        ServerConfig placeholder = ServerConfig.fromEnv(placeholderEnv);
        TeamMcpServerMain server = new TeamMcpServerMain(tomcat(placeholder), protocol(placeholder), clock);
        server.startInPoolMode(identityFile.get(), env, placeholder);
        return server;
    }

    /** Starts a server as the team of this config; tests and benchmarks use this directly. */
    public static TeamMcpServerMain start(ServerConfig config, Clock clock) throws LifecycleException {
        var server = new TeamMcpServerMain(tomcat(config), protocol(config), clock);
        server.tomcat.setConnector(connector(server.protocol));
        TeamApp app = TeamApp.build(config, clock, server.protocol, server.stopping::get, "");
        server.tomcat.getHost().addChild(app.context());
        server.team = app;
        server.tomcat.start();
        app.warmUpDatabase();
        return server;
    }

    private void startInPoolMode(Path identityFile, Map<String, String> env, ServerConfig placeholder)
            throws LifecycleException {
        tomcat.setConnector(connector(protocol));
        poolContext = poolContext();
        tomcat.getHost().addChild(poolContext);
        tomcat.start();
        log.info("In pool mode: nothing but {} answers until {} names a team", HEALTH_PATH, identityFile);
        watcher = new IdentityWatcher(identityFile, env, this::switchTo, () -> warmUp(placeholder));
        watcher.start();
    }

    /** Pool mode: {@code /healthz} and the same path rules; every other request refused, whatever it carries. */
    private Context poolContext() {
        Context context = TomcatContexts.root(POOL_VERSION);
        TomcatContexts.addFilter(
                context, "canonical-paths", new CanonicalPathFilter(Set.of(MCP_ENDPOINT, HEALTH_PATH, MCP_CHECK_PATH)));
        TomcatContexts.addFilter(context, "json-errors", new JsonErrorFilter());
        TomcatContexts.addServlet(context, Routes.HEALTH, new HealthServlet(stopping::get), HEALTH_PATH);
        TomcatContexts.addServlet(context, Routes.MCP, new PoolModeServlet(), MCP_ENDPOINT);
        TomcatContexts.addServlet(context, Routes.NOT_FOUND, new PoolModeServlet(), "/");
        return context;
    }

    /**
     * Builds and starts a throw-away team context from the placeholder's config, below the pool's version (never
     * routed to), then removes it: on a fresh JVM the first build and start of a team context loads and links several
     * thousand classes, which took 0.5 s on two cores and 2-3 s on one, far above the claim's budget; after this the
     * switch is instance work. It runs once, on the watcher's thread, before the file is first looked at.
     */
    private void warmUp(ServerConfig placeholder) {
        long started = System.nanoTime();
        TeamApp app = TeamApp.build(placeholder, clock, protocol, stopping::get, WARM_UP_VERSION);
        synchronized (this) {
            if (stopping.get()) {
                return;
            }
            tomcat.getHost().addChild(app.context());
            tomcat.getHost().removeChild(app.context());
        }
        app.closeSessions();
        log.info("Warmed up for the identity switch ({} ms)", (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Builds the team's request-serving part and puts it in front: once Tomcat has started the new context it maps
     * every new request there (the highest version of the root context). The pool-mode context is removed after;
     * requests already in it finish as refusals.
     *
     * @return whether the server now serves the team (false when stopping or the build failed: still in pool mode)
     */
    private synchronized boolean switchTo(ServerConfig config) {
        if (stopping.get() || team != null) {
            return false;
        }
        TeamApp app;
        try {
            app = TeamApp.build(config, clock, protocol, stopping::get, TEAM_VERSION);
            tomcat.getHost().addChild(app.context());
        } catch (RuntimeException e) {
            log.error(
                    "Cannot serve the identity file's team, staying in pool mode: {}",
                    e.getClass().getName());
            return false;
        }
        team = app;
        app.warmUpDatabase();
        // off the claim's path: stopping the pool context waits for requests still in it (refusals, all short)
        Context pool = poolContext;
        poolContext = null;
        Thread.ofPlatform()
                .name("pool-context-stop")
                .daemon(true)
                .start(() -> tomcat.getHost().removeChild(pool));
        return true;
    }

    private static Tomcat tomcat(ServerConfig config) {
        // JMX registration parses Tomcat's MBean descriptors (XML): half of Tomcat's start on one core, for beans
        // nobody reads on a team's machine
        Registry.disableRegistry();
        TOMCAT_LOG.setLevel(Level.WARNING);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(new File(
                        System.getProperty("java.io.tmpdir"),
                        "team-mcp-server-" + ProcessHandle.current().pid() + "-" + System.nanoTime())
                .getAbsolutePath());
        tomcat.getHost().setAutoDeploy(false);
        // what Tomcat refuses before any filter runs (an encoded slash, a backslash) gets a problem body too
        ((StandardHost) tomcat.getHost()).setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        return tomcat;
    }

    /**
     * Typed setters: Connector.setPort/setProperty go through reflection, whose method handles were a fifth of the
     * server's own start on one core.
     */
    private static Http11NioProtocol protocol(ServerConfig config) {
        var protocol = new Http11NioProtocol();
        protocol.setPort(config.port());
        try {
            protocol.setAddress(InetAddress.getByName(config.bindAddress()));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot bind to " + config.bindAddress() + ": unknown host", e);
        }
        return protocol;
    }

    private static Connector connector(Http11NioProtocol protocol) {
        Connector connector = new Connector(protocol);
        // nothing but MCP is served here: no server banner, no directory of error pages
        connector.setXpoweredBy(false);
        return connector;
    }

    /**
     * The gateway's path for this team ({@code /<team>/mcp}), which Fly replays here in fly-replay mode. Only this
     * server's own team: another team's path is not served at all.
     */
    public static String teamEndpoint(String teamId) {
        return "/" + teamId + MCP_ENDPOINT;
    }

    /** The team this server serves, empty while in pool mode. */
    public Optional<String> servedTeam() {
        TeamApp app = team;
        return app == null ? Optional.empty() : Optional.of(app.config().teamId());
    }

    private String teamId() {
        return servedTeam().orElse("(none)");
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
        if (watcher != null) {
            watcher.close();
        }
        TeamApp app;
        synchronized (this) {
            app = team;
        }
        if (app != null) {
            app.closeSessions();
        }
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            log.warn("Tomcat did not stop cleanly: {}", e.toString());
        }
        if (app != null) {
            app.closeDatabase();
        }
    }
}
