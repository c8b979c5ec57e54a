package com.employable.flotilla.localfly.api;

import com.employable.flotilla.localfly.error.FlyError;
import com.employable.flotilla.localfly.faults.Faults;
import com.employable.flotilla.localfly.http.Answer;
import com.employable.flotilla.localfly.http.Exchanges;
import com.employable.flotilla.localfly.http.Request;
import com.employable.flotilla.localfly.http.RouteTable;
import com.employable.flotilla.localfly.limits.RateLimits;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@code /v1} request passes, in order: bearer auth (401 in Fly's words), injected faults, Fly's rate limits
 * (429), then its route (404 for an unknown path, 405 for a known path with another method). An {@code ambiguous}
 * fault lets the operation take effect, then answers its error.
 */
final class MachinesApi {

    private final RouteTable routes;
    private final RateLimits limits;
    private final Faults faults;
    private final byte[] token;
    private final Duration hostLatency;

    MachinesApi(RouteTable routes, RateLimits limits, Faults faults, String token, Duration hostLatency) {
        this.routes = routes;
        this.limits = limits;
        this.faults = faults;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.hostLatency = hostLatency;
    }

    Answer handle(HttpExchange exchange, String method, String rawPath) throws IOException {
        if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return new Answer(401, Json.error("Authenticate: token validation error", null));
        }
        Optional<Faults.Injection> fault = faults.match(method, rawPath);
        if (fault.isPresent()) {
            Faults.Injection injection = fault.get();
            switch (injection.kind()) {
                case "status" -> {
                    return new Answer(injection.status(), Json.error("injected fault", null));
                }
                case "timeout" -> {
                    sleep(injection.latencyMs() <= 0 ? 120_000 : injection.latencyMs());
                    return new Answer(504, Json.error("injected timeout", null));
                }
                case "latency" -> sleep(injection.latencyMs());
                default -> {
                    // ambiguous: handled below, after the operation took effect
                }
            }
        }
        List<String> path = Arrays.stream(rawPath.split("/"))
                .filter(segment -> !segment.isEmpty())
                .map(segment -> URLDecoder.decode(segment, StandardCharsets.UTF_8))
                .toList();
        var query = Exchanges.query(exchange.getRequestURI().getRawQuery());
        var body = Exchanges.body(exchange);
        Optional<RateKeys> key = RateKeys.of(method, path.subList(1, path.size()));
        if (key.isPresent()
                && !limits.tryAcquire(
                        key.get().action(), key.get().id(), key.get().limit())) {
            return new Answer(
                    429,
                    Json.error(
                            "rate limit exceeded for " + key.get().action() + " on "
                                    + key.get().id() + "; retry after a short backoff",
                            null));
        }
        if (!hostLatency.isZero() && !"GET".equals(method) && path.size() > 3 && "machines".equals(path.get(3))) {
            // the API's round trip to the machine's host (simulated runtime)
            sleep(hostLatency.toMillis());
        }
        Answer answer = route(path, new Request(method, Map.of(), query, body, exchange.getRequestHeaders()));
        if (fault.isPresent() && "ambiguous".equals(fault.get().kind())) {
            return new Answer(fault.get().status(), Json.error("injected fault after the request took effect", null));
        }
        return answer;
    }

    private Answer route(List<String> path, Request request) {
        RouteTable.Lookup lookup = routes.find(request.method(), path);
        if (lookup instanceof RouteTable.Found found) {
            return found.route().handler().handle(request.withParams(found.params()));
        }
        if (lookup instanceof RouteTable.MethodNotAllowed) {
            return new Answer(405, Json.error("method not allowed", null));
        }
        throw new FlyError(404, "unknown endpoint /" + String.join("/", path));
    }

    private boolean authorized(String header) {
        if (header == null) {
            return false;
        }
        String value = header.trim();
        String presented = value.regionMatches(true, 0, "Bearer ", 0, 7)
                ? value.substring(7).trim()
                : value.regionMatches(true, 0, "FlyV1 ", 0, 6)
                        ? value.substring(6).trim()
                        : null;
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
