package com.employable.flotilla.health.support;

import com.employable.flotilla.common.cloudevents.EventJson;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real MCP server built with the official SDK's server classes (Streamable HTTP servlet in an embedded Tomcat),
 * standing in for a team server: it serves every path ending in {@code /mcp}, requires a bearer token, and can be
 * slowed down, stopped and started again on the same port.
 */
public final class SdkMcpServer implements AutoCloseable {

    private final AtomicReference<String> expectedToken;

    private final AtomicLong latencyMs = new AtomicLong();

    private final AtomicInteger sessionsOpened = new AtomicInteger();

    private final AtomicInteger deletes = new AtomicInteger();

    private final AtomicReference<String> lastForceInstance = new AtomicReference<>();

    private final AtomicReference<String> toolsListFailure = new AtomicReference<>();

    private int port;

    private Tomcat tomcat;

    private McpSyncServer mcp;

    private Path baseDir;

    private SdkMcpServer(String expectedToken) {
        this.expectedToken = new AtomicReference<>(expectedToken);
    }

    /** Starts on a free loopback port. */
    public static SdkMcpServer start(String expectedToken) {
        SdkMcpServer server = new SdkMcpServer(expectedToken);
        server.startOn(0);
        return server;
    }

    public int port() {
        return port;
    }

    /** The MCP endpoint of a team on this server (the path is per team, as behind a proxy). */
    public String endpoint(String teamId) {
        return "http://127.0.0.1:" + port + "/teams/" + teamId + "/mcp";
    }

    public void latency(long millis) {
        latencyMs.set(millis);
    }

    public void expectToken(String token) {
        expectedToken.set(token);
    }

    public int sessionsOpened() {
        return sessionsOpened.get();
    }

    public int deletes() {
        return deletes.get();
    }

    public String lastForceInstance() {
        return lastForceInstance.get();
    }

    /**
     * Breaks the server as a real one breaks while up: it still accepts sessions, but answers every {@code
     * tools/list} with a JSON-RPC internal error carrying {@code message} (the server's own text, which may hold
     * anything); {@code null} mends it.
     */
    public void failToolsList(String message) {
        toolsListFailure.set(message);
    }

    public synchronized void stop() {
        if (tomcat == null) {
            return;
        }
        try {
            mcp.close();
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException failure) {
            throw new IllegalStateException(failure);
        }
        tomcat = null;
    }

    /** Starts again on the port it had. */
    public synchronized void restart() {
        stop();
        startOn(port);
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void startOn(int requestedPort) {
        try {
            baseDir = baseDir != null ? baseDir : Files.createTempDirectory("sdk-mcp-server");
        } catch (IOException failure) {
            throw new IllegalStateException(failure);
        }
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp")
                .build();
        McpSchema.Tool echo = McpSchema.Tool.builder(
                        "echo", Map.of("type", "object", "properties", Map.of("text", Map.of("type", "string"))))
                .description("Echoes the given text")
                .build();
        mcp = McpServer.sync(transport)
                .serverInfo("sdk-test-server", "1")
                .capabilities(
                        McpSchema.ServerCapabilities.builder().tools(false).build())
                .toolCall(
                        echo,
                        (exchange, request) -> McpSchema.CallToolResult.builder()
                                .content(List.of(new McpSchema.TextContent(
                                        String.valueOf(request.arguments().get("text")))))
                                .isError(false)
                                .build())
                .build();

        Tomcat server = new Tomcat();
        server.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(requestedPort);
        connector.setProperty("address", "127.0.0.1");
        server.getService().addConnector(connector);
        server.setConnector(connector);
        Context context = server.addContext("", null);
        Wrapper wrapper = Tomcat.addServlet(context, "mcp", transport);
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded("/*", "mcp");
        FilterDef gate = new FilterDef();
        gate.setFilterName("gate");
        gate.setFilter(new Gate());
        gate.setAsyncSupported("true");
        context.addFilterDef(gate);
        FilterMap gateMapping = new FilterMap();
        gateMapping.setFilterName("gate");
        gateMapping.addURLPatternDecoded("/*");
        context.addFilterMap(gateMapping);
        try {
            server.start();
        } catch (LifecycleException failure) {
            throw new IllegalStateException(failure);
        }
        tomcat = server;
        port = connector.getLocalPort();
    }

    /** A request whose body was read already, handed on with the same body. */
    private static final class ReplayedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReplayedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already in memory");
                }

                @Override
                public int read() {
                    return in.read();
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        }
    }

    /** Bearer check (as a team server does for probe tokens), latency injection, breakage and bookkeeping. */
    private final class Gate implements Filter {

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            HttpServletResponse response = (HttpServletResponse) res;
            String expected = expectedToken.get();
            if (expected != null && !("Bearer " + expected).equals(request.getHeader("Authorization"))) {
                response.setHeader("WWW-Authenticate", "Bearer");
                response.sendError(401);
                return;
            }
            lastForceInstance.set(request.getHeader("fly-force-instance-id"));
            long delay = latencyMs.get();
            if (delay > 0 && "POST".equals(request.getMethod())) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if ("DELETE".equals(request.getMethod())) {
                deletes.incrementAndGet();
            }
            String failure = toolsListFailure.get();
            if (failure != null && "POST".equals(request.getMethod())) {
                byte[] body = request.getInputStream().readAllBytes();
                JsonNode message = EventJson.MAPPER.readTree(body);
                if ("tools/list".equals(message.path("method").asString(""))) {
                    ObjectNode error = EventJson.MAPPER.createObjectNode();
                    error.put("jsonrpc", "2.0");
                    error.set("id", message.get("id"));
                    error.putObject("error").put("code", -32603).put("message", failure);
                    response.setContentType("application/json");
                    response.getOutputStream().write(EventJson.MAPPER.writeValueAsBytes(error));
                    return;
                }
                req = new ReplayedBody(request, body);
            }
            chain.doFilter(req, res);
            if ("POST".equals(request.getMethod()) && response.getHeader("Mcp-Session-Id") != null) {
                sessionsOpened.incrementAndGet();
            }
        }
    }
}
