package com.employable.flotilla.localfly.api;

import com.employable.flotilla.localfly.error.FlyError;
import com.employable.flotilla.localfly.faults.Faults;
import com.employable.flotilla.localfly.http.Answer;
import com.employable.flotilla.localfly.http.Exchanges;
import com.employable.flotilla.localfly.http.Request;
import com.employable.flotilla.localfly.http.RouteTable;
import com.employable.flotilla.localfly.limits.RateLimits;
import com.employable.flotilla.localfly.world.FlyWorld;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API port: Fly's Machines API ({@code /v1/...}, see {@link MachinesApi}), local-fly's admin API
 * ({@code /_admin/...}, no token: it listens on loopback) and {@code /healthz}. Errors come back in Fly's shape
 * {@code {"error": ...}}.
 */
public final class FlyApi implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(FlyApi.class);
    public static final String NONCE_HEADER = "fly-machine-lease-nonce";

    private final MachinesApi machinesApi;
    private final RouteTable admin;

    public FlyApi(FlyWorld world, RateLimits limits, Faults faults, String token) {
        this(world, limits, faults, token, Duration.ZERO);
    }

    /** @param hostLatency added to each mutating machine call, as Fly's API takes to reach the machine's host */
    public FlyApi(FlyWorld world, RateLimits limits, Faults faults, String token, Duration hostLatency) {
        this.machinesApi = new MachinesApi(FlyRoutes.machinesApi(world), limits, faults, token, hostLatency);
        this.admin = FlyRoutes.admin(world, limits, faults);
    }

    static String nonce(Request request) {
        return request.header(NONCE_HEADER);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String rawPath = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            Answer answer;
            try {
                if ("/healthz".equals(rawPath)) {
                    answer = Answer.ok(Json.object().put("status", "ok"));
                } else if (rawPath.startsWith("/_admin/")) {
                    answer = admin(exchange, method, rawPath);
                } else if (rawPath.startsWith("/v1/")) {
                    answer = machinesApi.handle(exchange, method, rawPath);
                } else {
                    answer = new Answer(404, Json.error("not found", null));
                }
            } catch (FlyError e) {
                answer = new Answer(e.httpStatus(), Json.error(e.getMessage(), e.flyStatus()));
            } catch (IllegalArgumentException e) {
                answer = new Answer(400, Json.error(e.getMessage(), null));
            } catch (RuntimeException e) {
                log.error("local-fly failed on {} {}", method, rawPath, e);
                answer = new Answer(
                        500, Json.error("internal error: " + e.getClass().getSimpleName(), null));
            }
            Exchanges.write(exchange, answer);
        }
    }

    /** Admin paths match exactly; an unknown path or method is 404 alike. */
    private Answer admin(HttpExchange exchange, String method, String rawPath) throws IOException {
        var body = Exchanges.body(exchange);
        if (admin.find(method, Arrays.asList(rawPath.substring(1).split("/", -1))) instanceof RouteTable.Found found) {
            return found.route()
                    .handler()
                    .handle(new Request(
                            method,
                            found.params(),
                            Exchanges.query(exchange.getRequestURI().getRawQuery()),
                            body,
                            exchange.getRequestHeaders()));
        }
        return new Answer(404, Json.error("unknown admin endpoint " + method + " " + rawPath, null));
    }
}
