package com.employable.flotilla.registry.support;

import com.employable.flotilla.common.teams.TeamAddresses;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * What Fly's proxy is to the gateway in these tests: one local HTTP server in front of every team, routing
 * {@code /<team app>/...} to the handler a test registered for that team's app. The test context's
 * {@code flotilla.teams.endpoint-url-template} points here, so the gateway reaches a team only where the template
 * says, whatever an event claims.
 */
public final class TeamFront {

    private static final Set<String> HOP_BY_HOP =
            Set.of("connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive", "host");

    private static final Map<String, HttpHandler> ROUTES = new ConcurrentHashMap<>();

    private static final HttpServer SERVER = start();

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private TeamFront() {}

    public static int port() {
        return SERVER.getAddress().getPort();
    }

    /** The addresses the test context derives team apps and endpoints with. */
    public static TeamAddresses addresses() {
        return new TeamAddresses(
                "flotilla-team-",
                endpointUrlTemplate(),
                "http://{app}.flycast/mcp",
                "http://{machine}.vm.{app}.internal:8080/mcp",
                "flotilla-pool-",
                TeamAddresses.defaults().reservedAppNames());
    }

    public static String endpointUrlTemplate() {
        return "http://127.0.0.1:" + port() + "/{app}/mcp";
    }

    /** Requests for the team's app go to {@code handler} (path without the app prefix is in the exchange's URI). */
    public static void route(String teamId, HttpHandler handler) {
        routeApp(addresses().appName(teamId), handler);
    }

    /** Requests for this app (a team's own app or a warm-pool app) go to {@code handler}. */
    public static void routeApp(String app, HttpHandler handler) {
        ROUTES.put(app, handler);
    }

    /** A streaming reverse proxy to {@code /mcp} on a local port, the way Fly's proxy reaches a machine. */
    public static HttpHandler proxyTo(int port) {
        return exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            String rest = path.substring(path.indexOf('/', 1));
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + rest))
                    .method(
                            exchange.getRequestMethod(),
                            HttpRequest.BodyPublishers.ofByteArray(
                                    exchange.getRequestBody().readAllBytes()));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<InputStream> response;
            try {
                response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IOException(interrupted);
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            boolean empty = response.statusCode() == 204 || response.statusCode() == 304;
            exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : 0);
            try (InputStream in = response.body();
                    OutputStream out = exchange.getResponseBody()) {
                byte[] buffer = new byte[8192];
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        };
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
            server.setExecutor(Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "team-front");
                thread.setDaemon(true);
                return thread;
            }));
            server.createContext("/", TeamFront::dispatch);
            server.start();
            return server;
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    private static void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            int slash = path.indexOf('/', 1);
            HttpHandler handler = slash < 0 ? null : ROUTES.get(path.substring(1, slash));
            if (handler == null) {
                byte[] body = "{\"error\":\"no machine of this app\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(503, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            handler.handle(exchange);
        }
    }
}
