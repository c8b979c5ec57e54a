package com.employable.flotilla.localfly.proxy;

import com.employable.flotilla.localfly.error.FlyError;
import com.employable.flotilla.localfly.machines.MachineView;
import com.employable.flotilla.localfly.machines.Machines;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Fly's proxy does for an app, on loopback: {@code /<app>/<path>} goes to {@code /<path>} on a started machine
 * of that app (the one named by {@code fly-force-instance-id}, else any), responses stream through unbuffered (SSE),
 * and when every machine is stopped or suspended and the service allows autostart, one is started and the request
 * waits for it. Each answer carries {@code fly-machine-id}. With no machine able to serve: 503 in JSON.
 */
public final class FlyProxy implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(FlyProxy.class);
    private static final Set<String> HOP_BY_HOP =
            Set.of("connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive", "host");
    private static final Duration WAKE_TIMEOUT = Duration.ofSeconds(60);

    private final Machines machines;
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public FlyProxy(Machines machines) {
        this.machines = machines;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String raw = exchange.getRequestURI().getRawPath();
            String[] parts = raw.substring(1).split("/", 2);
            String app = parts[0];
            String rest = "/" + (parts.length > 1 ? parts[1] : "");
            String query = exchange.getRequestURI().getRawQuery();
            Optional<MachineView> target;
            try {
                target = choose(app, exchange.getRequestHeaders().getFirst("fly-force-instance-id"));
            } catch (FlyError e) {
                fail(exchange, e.httpStatus(), e.getMessage());
                return;
            }
            if (target.isEmpty() || target.get().port() == 0) {
                fail(exchange, 503, "no machine of " + app + " can serve this request");
                return;
            }
            MachineView machine = target.get();
            machines.autostop().touched(machine.id());
            forward(exchange, machine, rest + (query == null ? "" : "?" + query));
        }
    }

    private Optional<MachineView> choose(String app, String forced) {
        List<MachineView> started = machines.started(app);
        if (forced != null) {
            Optional<MachineView> pinned =
                    started.stream().filter(m -> m.id().equals(forced)).findFirst();
            if (pinned.isPresent()) {
                return pinned;
            }
            return wake(app, forced);
        }
        if (!started.isEmpty()) {
            return Optional.of(started.get(Math.floorMod(System.nanoTime(), started.size())));
        }
        return wake(app, null);
    }

    /** Autostart: start a stopped or suspended machine whose service allows it, then wait for it. */
    private Optional<MachineView> wake(String app, String preferred) {
        List<String> candidates = machines
                .list(
                        app,
                        false,
                        machine -> (preferred == null || machine.id().equals(preferred))
                                && Set.of("stopped", "suspended", "starting", "created")
                                        .contains(machine.state())
                                && autostart(machine.config().path("services").path(0)))
                .stream()
                .map(MachineView::id)
                .toList();
        for (String id : candidates) {
            try {
                if (!"starting".equals(machines.view(app, id, false).state())) {
                    machines.actions().start(app, id, null);
                }
            } catch (FlyError e) {
                // leased or changed meanwhile: try the next one
                continue;
            }
            try {
                machines.waitFor(app, id, Set.of("started"), WAKE_TIMEOUT);
                return machines.find(id);
            } catch (FlyError e) {
                log.warn("Machine {} of {} did not wake: {}", id, app, e.getMessage());
            }
        }
        return Optional.empty();
    }

    private void forward(HttpExchange exchange, MachineView machine, String pathAndQuery) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + machine.port() + pathAndQuery))
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
        request.header(
                "Fly-Forwarded-Port",
                Integer.toString(exchange.getLocalAddress().getPort()));
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(exchange, 502, "interrupted");
            return;
        } catch (IOException e) {
            fail(
                    exchange,
                    502,
                    "machine " + machine.id() + " did not answer: "
                            + e.getClass().getSimpleName());
            return;
        }
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        exchange.getResponseHeaders().set("fly-machine-id", machine.id());
        int status = response.statusCode();
        boolean empty = status == 204 || status == 304 || "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, empty ? -1 : 0);
        try (InputStream in = response.body()) {
            if (empty) {
                return;
            }
            OutputStream out = exchange.getResponseBody();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                // SSE: each event must reach the client when the machine sends it
                out.flush();
            }
        } catch (IOException clientGone) {
            // the client (or the machine) hung up mid-stream: nothing left to deliver
        }
    }

    private static void fail(HttpExchange exchange, int status, String message) throws IOException {
        byte[] bytes = ("{\"error\":\"" + message.replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** The Machines API's {@code autostart}; {@code autostart_machines} is accepted from configs written before. */
    private static boolean autostart(tools.jackson.databind.JsonNode service) {
        return (service.has("autostart") ? service.path("autostart") : service.path("autostart_machines"))
                .asBoolean(true);
    }
}
