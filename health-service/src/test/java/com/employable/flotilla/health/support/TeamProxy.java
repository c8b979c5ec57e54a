package com.employable.flotilla.health.support;

import com.employable.flotilla.common.teams.TeamAddresses;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for Fly's proxy in front of every team's app, and for Fly's private network to each machine (as
 * local-fly does in the devstack): the service derives each team's address from one template, {@code
 * http://127.0.0.1:<port>/_6pn/{app}/{machine}/mcp} (one machine, straight over the private network: the default
 * probe address), {@code http://127.0.0.1:<port>/{app}/mcp} (public) or {@code
 * http://127.0.0.1:<port>/flycast/{app}/mcp} (private), and this relays the request to the server a test started for
 * that machine or app. Requests on the proxy's own paths (public, Flycast) are counted per app: what Fly's proxy would
 * count as activity. Responses stream through unbuffered (SSE). When the server does not accept the connection the
 * client's connection is dropped without an answer, which is what the probe sees of a server that is down.
 */
public final class TeamProxy {

    private static final Set<String> HOP_BY_HOP =
            Set.of("connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive", "host");

    private static final TeamProxy SHARED = new TeamProxy();

    private static final String DIRECT = "_6pn";

    private final Map<String, URI> servers = new ConcurrentHashMap<>();

    private final Map<String, URI> machines = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> proxied = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> direct = new ConcurrentHashMap<>();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final HttpServer server;

    private TeamProxy() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        } catch (IOException failure) {
            throw new IllegalStateException(failure);
        }
        ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "team-proxy");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", this::relay);
        server.start();
    }

    /** The one proxy of the test JVM. */
    public static TeamProxy shared() {
        return SHARED;
    }

    public String publicTemplate() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/{app}/mcp";
    }

    public String privateTemplate() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/flycast/{app}/mcp";
    }

    /** One machine's address on the private network, which Fly's proxy never sees. */
    public String machineTemplate() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + DIRECT + "/{app}/{machine}/mcp";
    }

    /** The machine's own address, as the service derives it for a team's own app. */
    public String machineEndpointOf(String teamId, String machineId) {
        return machineTemplate().replace("{app}", app(teamId)).replace("{machine}", machineId);
    }

    /** Requests for the team's app that went through the proxy's paths (public or Flycast): activity, to Fly. */
    public int proxiedRequests(String teamId) {
        AtomicInteger count = proxied.get(app(teamId));
        return count == null ? 0 : count.get();
    }

    /** Requests that reached one machine of the team's app straight, whether or not its server answered. */
    public int directRequests(String teamId, String machineId) {
        AtomicInteger count = direct.get(app(teamId) + "/" + machineId);
        return count == null ? 0 : count.get();
    }

    /** The address the service derives for a team (public), as the registry publishes it. */
    public String endpointOf(String teamId) {
        return publicTemplate().replace("{app}", app(teamId));
    }

    public String privateEndpointOf(String teamId) {
        return privateTemplate().replace("{app}", app(teamId));
    }

    /** Relays the team's app (every machine of it, and its public and private addresses) to this MCP endpoint. */
    public void serve(String teamId, String endpoint) {
        serveApp(app(teamId), endpoint);
    }

    /** Relays any app (a warm-pool app a team was given) to this MCP endpoint. */
    public void serveApp(String app, String endpoint) {
        servers.put(app, URI.create(endpoint));
    }

    /** Relays one machine of the team's app, on the private network, to this MCP endpoint. */
    public void serveMachine(String teamId, String machineId, String endpoint) {
        machines.put(app(teamId) + "/" + machineId, URI.create(endpoint));
    }

    public void forget(String teamId) {
        String app = app(teamId);
        servers.remove(app);
        proxied.remove(app);
        machines.keySet().removeIf(key -> key.startsWith(app + "/"));
        direct.keySet().removeIf(key -> key.startsWith(app + "/"));
    }

    private static String app(String teamId) {
        return TeamAddresses.defaults().appName(teamId);
    }

    private void relay(HttpExchange exchange) throws IOException {
        String[] segments = exchange.getRequestURI().getRawPath().split("/");
        boolean straight = segments.length == 5 && DIRECT.equals(segments[1]) && "mcp".equals(segments[4]);
        String app;
        URI target;
        if (straight) {
            app = segments[2];
            String machine = app + "/" + segments[3];
            this.direct.computeIfAbsent(machine, any -> new AtomicInteger()).incrementAndGet();
            target = machines.getOrDefault(machine, servers.get(app));
        } else {
            app = segments.length >= 2 && "mcp".equals(segments[segments.length - 1])
                    ? segments[segments.length - 2]
                    : "";
            proxied.computeIfAbsent(app, any -> new AtomicInteger()).incrementAndGet();
            target = servers.get(app);
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (target == null) {
            answer(exchange, 404, "{\"error\":\"no app " + app.replace("\"", "") + "\"}");
            return;
        }
        String query = exchange.getRequestURI().getRawQuery();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + (query == null ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(30))
                .method(
                        exchange.getRequestMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | InterruptedException unreachable) {
            // closing before any answer drops the connection: the probe sees the server as unreachable
            exchange.close();
            return;
        }
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        int status = response.statusCode();
        boolean empty = status == 204 || status == 304 || "HEAD".equals(exchange.getRequestMethod());
        try (InputStream in = response.body();
                exchange) {
            exchange.sendResponseHeaders(status, empty ? -1 : 0);
            if (empty) {
                return;
            }
            OutputStream out = exchange.getResponseBody();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException hungUp) {
            // the probe or the server hung up mid-answer: nothing left to relay
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
