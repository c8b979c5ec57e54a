package com.employable.flotilla.localfly.api;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import com.employable.flotilla.localfly.faults.Faults;
import com.employable.flotilla.localfly.limits.RateLimits;
import com.employable.flotilla.localfly.machines.FlyWorld;

/**
 * local-fly's own controls, outside {@code /v1} and without auth (it listens on loopback): faults, rate-limit
 * counters, regional capacity, and the proxy's idle sweep on demand.
 */
public final class Admin {

    private final FlyWorld world;
    private final RateLimits limits;
    private final Faults faults;

    public Admin(FlyWorld world, RateLimits limits, Faults faults) {
        this.world = world;
        this.limits = limits;
        this.faults = faults;
    }

    FlyApi.Answer handle(String method, String path, JsonNode body) {
        return switch (method + " " + path) {
            case "GET /_admin/faults" -> FlyApi.Answer.ok(faultsJson());
            case "POST /_admin/faults" -> {
                if (body == null) {
                    throw new FlyError(400, "body: {method?, path, kind, status?, latency_ms?, probability?, times?}");
                }
                Faults.Rule rule = faults.add(body.path("method").asString(null), body.path("path").asString(".*"),
                        body.path("kind").asString("status"), body.path("status").asInt(500),
                        body.path("latency_ms").asLong(0), body.path("probability").asDouble(1.0),
                        body.path("times").asLong(0));
                yield new FlyApi.Answer(201, Json.MAPPER.valueToTree(Map.of("id", rule.id())));
            }
            case "DELETE /_admin/faults" -> {
                faults.clear();
                yield FlyApi.Answer.ok(Json.object());
            }
            case "GET /_admin/rate-limits" -> FlyApi.Answer.ok(Json.MAPPER.valueToTree(limits.counters()));
            case "DELETE /_admin/rate-limits" -> {
                limits.reset();
                yield FlyApi.Answer.ok(Json.object());
            }
            case "GET /_admin/capacity" -> FlyApi.Answer.ok(Json.MAPPER.valueToTree(world.capacity()));
            case "POST /_admin/capacity" -> {
                if (body == null || !body.path("region").isString()) {
                    throw new FlyError(400, "body: {\"region\": \"fra\", \"machines\": 0 | null}");
                }
                JsonNode machines = body.path("machines");
                world.capacity(body.path("region").asString(), machines.isNumber() ? machines.asInt() : null);
                yield FlyApi.Answer.ok(Json.MAPPER.valueToTree(world.capacity()));
            }
            case "POST /_admin/autostop" -> {
                long idleSeconds = body == null ? 0 : body.path("idle_seconds").asLong(0);
                int stopped = world.autostopIdle(java.time.Duration.ofSeconds(idleSeconds));
                yield FlyApi.Answer.ok(Json.object().put("stopped", stopped));
            }
            default -> new FlyApi.Answer(404, Json.error("unknown admin endpoint " + method + " " + path, null));
        };
    }

    private ObjectNode faultsJson() {
        ObjectNode node = Json.object();
        node.set("rules", Json.MAPPER.valueToTree(faults.describe()));
        node.put("fired", faults.fired());
        return node;
    }
}
