package com.employable.flotilla.localfly.api;

import com.employable.flotilla.localfly.error.FlyError;
import com.employable.flotilla.localfly.faults.Faults;
import com.employable.flotilla.localfly.http.Answer;
import com.employable.flotilla.localfly.http.Request;
import com.employable.flotilla.localfly.limits.RateLimits;
import com.employable.flotilla.localfly.world.FlyWorld;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * local-fly's own controls, outside {@code /v1} and without auth (it listens on loopback): faults, rate-limit
 * counters, regional capacity, and the proxy's idle sweep on demand.
 */
final class AdminRoutes {

    private final FlyWorld world;
    private final RateLimits limits;
    private final Faults faults;

    AdminRoutes(FlyWorld world, RateLimits limits, Faults faults) {
        this.world = world;
        this.limits = limits;
        this.faults = faults;
    }

    Answer faults(Request request) {
        ObjectNode node = Json.object();
        node.set("rules", Json.MAPPER.valueToTree(faults.describe()));
        node.put("fired", faults.fired());
        return Answer.ok(node);
    }

    Answer addFault(Request request) {
        JsonNode body = request.body();
        if (body == null) {
            throw new FlyError(400, "body: {method?, path, kind, status?, latency_ms?, probability?, times?}");
        }
        Faults.Rule rule = faults.add(
                body.path("method").asString(null),
                body.path("path").asString(".*"),
                body.path("kind").asString("status"),
                body.path("status").asInt(500),
                body.path("latency_ms").asLong(0),
                body.path("probability").asDouble(1.0),
                body.path("times").asLong(0));
        return new Answer(201, Json.MAPPER.valueToTree(Map.of("id", rule.id())));
    }

    Answer clearFaults(Request request) {
        faults.clear();
        return Answer.ok(Json.object());
    }

    Answer rateLimits(Request request) {
        return Answer.ok(Json.MAPPER.valueToTree(limits.counters()));
    }

    Answer resetRateLimits(Request request) {
        limits.reset();
        return Answer.ok(Json.object());
    }

    Answer capacity(Request request) {
        return Answer.ok(Json.MAPPER.valueToTree(world.capacity().snapshot()));
    }

    /** {@code {"region": "fra", "machines": n | null}}: 0 takes the region out of capacity, null unbounds it. */
    Answer setCapacity(Request request) {
        JsonNode body = request.body();
        if (body == null || !body.path("region").isString()) {
            throw new FlyError(400, "body: {\"region\": \"fra\", \"machines\": 0 | null}");
        }
        JsonNode machines = body.path("machines");
        world.capacity().set(body.path("region").asString(), machines.isNumber() ? machines.asInt() : null);
        return capacity(request);
    }

    Answer autostop(Request request) {
        long idleSeconds =
                request.body() == null ? 0 : request.body().path("idle_seconds").asLong(0);
        int stopped = world.machines().autostop().stopIdle(Duration.ofSeconds(idleSeconds));
        return Answer.ok(Json.object().put("stopped", stopped));
    }
}
