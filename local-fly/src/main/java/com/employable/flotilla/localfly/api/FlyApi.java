package com.employable.flotilla.localfly.api;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import com.employable.flotilla.localfly.faults.Faults;
import com.employable.flotilla.localfly.limits.RateLimits;
import com.employable.flotilla.localfly.limits.RateLimits.Limit;
import com.employable.flotilla.localfly.machines.App;
import com.employable.flotilla.localfly.machines.FlyWorld;
import com.employable.flotilla.localfly.machines.Machine;
import com.employable.flotilla.localfly.machines.Machines;

/**
 * The Fly Machines API ({@code /v1/...}) plus local-fly's admin API ({@code /_admin/...}) and {@code /healthz}.
 * Every {@code /v1} request passes, in order: bearer auth (401 in Fly's words), injected faults, Fly's rate limits
 * (429), then the operation; errors come back in Fly's shape {@code {"error": ...}}.
 */
public final class FlyApi implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(FlyApi.class);
    public static final String NONCE_HEADER = "fly-machine-lease-nonce";
    private static final Set<String> WAIT_STATES = Set.of("started", "stopped", "suspended", "destroyed", "failed",
            "settled");

    private final FlyWorld world;
    private final RateLimits limits;
    private final Faults faults;
    private final byte[] token;
    private final Admin admin;

    public FlyApi(FlyWorld world, RateLimits limits, Faults faults, String token, Admin admin) {
        this.world = world;
        this.limits = limits;
        this.faults = faults;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.admin = admin;
    }

    /** A parsed request. */
    record Call(String method, List<String> path, Map<String, String> query, JsonNode body, String nonce) {
        String segment(int index) {
            return path.size() > index ? path.get(index) : null;
        }

        boolean flag(String name) {
            return "true".equalsIgnoreCase(query.get(name)) || "1".equals(query.get(name));
        }
    }

    record Answer(int status, JsonNode body) {
        static Answer ok(JsonNode body) {
            return new Answer(200, body);
        }
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
                    answer = admin.handle(method, rawPath, body(exchange));
                } else if (rawPath.startsWith("/v1/")) {
                    answer = fly(exchange, method, rawPath);
                } else {
                    answer = new Answer(404, Json.error("not found", null));
                }
            } catch (FlyError e) {
                answer = new Answer(e.httpStatus(), Json.error(e.getMessage(), e.flyStatus()));
            } catch (IllegalArgumentException e) {
                answer = new Answer(400, Json.error(e.getMessage(), null));
            } catch (RuntimeException e) {
                log.error("local-fly failed on {} {}", method, rawPath, e);
                answer = new Answer(500, Json.error("internal error: " + e.getClass().getSimpleName(), null));
            }
            write(exchange, answer);
        }
    }

    private Answer fly(HttpExchange exchange, String method, String rawPath) throws IOException {
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
        List<String> path = Arrays.stream(rawPath.substring("/v1/".length()).split("/"))
                .filter(segment -> !segment.isEmpty())
                .map(segment -> URLDecoder.decode(segment, StandardCharsets.UTF_8)).toList();
        var call = new Call(method, path, query(exchange.getRequestURI().getRawQuery()), body(exchange),
                exchange.getRequestHeaders().getFirst(NONCE_HEADER));
        String[] limit = rateKey(call);
        if (limit != null && !limits.tryAcquire(limit[0], limit[1], limitFor(limit[0]))) {
            return new Answer(429, Json.error("rate limit exceeded for " + limit[0] + " on " + limit[1]
                    + "; retry after a short backoff", null));
        }
        Answer answer = route(call);
        if (fault.isPresent() && "ambiguous".equals(fault.get().kind())) {
            return new Answer(fault.get().status(), Json.error("injected fault after the request took effect",
                    null));
        }
        return answer;
    }

    private boolean authorized(String header) {
        if (header == null) {
            return false;
        }
        String value = header.trim();
        String presented = value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim()
                : value.regionMatches(true, 0, "FlyV1 ", 0, 6) ? value.substring(6).trim() : null;
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** {action, id} Fly keys its limit on, or null for calls without a documented limit. */
    private static String[] rateKey(Call call) {
        List<String> p = call.path();
        if (p.size() < 2 || !"apps".equals(p.get(0))) {
            return null;
        }
        String app = p.get(1);
        if (p.size() == 2) {
            return "DELETE".equals(call.method()) ? new String[] {"app_delete", "org"}
                    : new String[] {"app_" + call.method().toLowerCase(), app};
        }
        String area = p.get(2);
        if (!"machines".equals(area)) {
            return new String[] {area + "_" + call.method().toLowerCase(), app};
        }
        if (p.size() == 3) {
            return new String[] {"GET".equals(call.method()) ? "machine_list" : "machine_create", app};
        }
        String id = p.get(3);
        if (p.size() == 4) {
            return switch (call.method()) {
                case "GET" -> new String[] {"machine_get", id};
                case "DELETE" -> new String[] {"machine_delete", id};
                default -> new String[] {"machine_update", id};
            };
        }
        return new String[] {"machine_" + p.get(4) + "_" + call.method().toLowerCase(), id};
    }

    private static Limit limitFor(String action) {
        return switch (action) {
            // reads: Fly documents 5 req/s (bursts of 10) for get machine; listing is treated as the same read
            case "machine_get", "machine_wait_get", "machine_list" -> Limit.GET_MACHINE;
            case "app_delete" -> Limit.DELETE_APP;
            default -> Limit.DEFAULT;
        };
    }

    private Answer route(Call call) {
        List<String> p = call.path();
        if (p.isEmpty() || !"apps".equals(p.get(0))) {
            throw new FlyError(404, "unknown endpoint /v1/" + String.join("/", p));
        }
        if (p.size() == 1) {
            return switch (call.method()) {
                case "GET" -> listApps(call);
                case "POST" -> createApp(call);
                default -> methodNotAllowed();
            };
        }
        String app = p.get(1);
        if (p.size() == 2) {
            return switch (call.method()) {
                case "GET" -> Answer.ok(world.readApp(app, this::appJson));
                case "DELETE" -> {
                    world.deleteApp(app, call.flag("force"));
                    yield new Answer(202, Json.object());
                }
                default -> methodNotAllowed();
            };
        }
        return switch (p.get(2)) {
            case "machines" -> machines(call, app);
            case "secrets" -> secrets(call, app);
            case "ip_assignments" -> ips(call, app);
            default -> throw new FlyError(404, "unknown endpoint " + p.get(2));
        };
    }

    // ---- apps ----------------------------------------------------------------------------------------------------

    private Answer createApp(Call call) {
        JsonNode body = requireBody(call);
        String name = text(body, "app_name").orElseGet(() -> text(body, "name").orElse(null));
        App app = world.createApp(name, text(body, "org_slug").orElse(null), text(body, "network").orElse(null));
        ObjectNode created = Json.object();
        created.put("id", Machines.id(app));
        created.put("created_at", Machines.createdAt(app).toEpochMilli());
        return new Answer(201, created);
    }

    private Answer listApps(Call call) {
        String org = call.query().get("org_slug");
        ArrayNode apps = Json.array();
        world.listApps(org, app -> {
            ObjectNode node = apps.addObject();
            node.put("id", Machines.id(app));
            node.put("name", app.name());
            node.put("machine_count", world.machineCount(app));
            node.put("volume_count", 0);
            node.put("network", Machines.network(app));
            return node;
        });
        ObjectNode result = Json.object();
        result.put("total_apps", apps.size());
        result.set("apps", apps);
        return Answer.ok(result);
    }

    private ObjectNode appJson(App app) {
        ObjectNode node = Json.object();
        node.put("id", Machines.id(app));
        node.put("name", app.name());
        node.put("status", "deployed");
        ObjectNode org = node.putObject("organization");
        org.put("name", Machines.org(app));
        org.put("slug", Machines.org(app));
        node.put("network", Machines.network(app));
        node.put("machine_count", world.machineCount(app));
        node.put("volume_count", 0);
        node.put("internal_numeric_id", Machines.networkId(app));
        return node;
    }

    // ---- machines ------------------------------------------------------------------------------------------------

    private Answer machines(Call call, String app) {
        List<String> p = call.path();
        if (p.size() == 3) {
            return switch (call.method()) {
                case "GET" -> listMachines(call, app);
                case "POST" -> createMachine(call, app);
                default -> methodNotAllowed();
            };
        }
        String id = p.get(3);
        if (p.size() == 4) {
            return switch (call.method()) {
                case "GET" -> Answer.ok(world.readMachine(app, id, true, machine -> Json.machine(machine, false)));
                case "POST" -> {
                    JsonNode body = requireBody(call);
                    Machine machine = world.updateMachine(app, id, call.nonce(), text(body, "region").orElse(null),
                            text(body, "name").orElse(null), body.path("config").isObject()
                                    ? (ObjectNode) body.get("config") : null, body.path("skip_launch").asBoolean(false));
                    yield Answer.ok(world.locked(() -> Json.machine(machine, false)));
                }
                case "DELETE" -> {
                    world.destroyMachine(app, id, call.nonce(), call.flag("force"));
                    yield Answer.ok(Json.object().put("ok", true));
                }
                default -> methodNotAllowed();
            };
        }
        String action = p.get(4);
        return switch (action + " " + call.method()) {
            case "start POST" -> {
                String previous = world.startMachine(app, id, call.nonce());
                ObjectNode started = Json.object();
                started.put("previous_state", previous);
                started.put("migrated", false);
                started.put("new_host", "");
                yield Answer.ok(started);
            }
            case "stop POST" -> {
                world.stopMachine(app, id, call.nonce());
                yield Answer.ok(Json.object().put("ok", true));
            }
            case "suspend POST" -> {
                world.suspendMachine(app, id, call.nonce());
                yield Answer.ok(Json.object().put("ok", true));
            }
            case "restart POST" -> {
                world.restartMachine(app, id, call.nonce());
                yield Answer.ok(Json.object().put("ok", true));
            }
            case "wait GET" -> waitFor(call, app, id);
            case "events GET" -> events(call, app, id);
            case "lease POST" -> {
                JsonNode body = call.body() == null ? Json.object() : call.body();
                Machine.Lease lease = world.acquireLease(app, id, call.nonce(), body.path("ttl").asInt(30),
                        text(body, "description").orElse(null));
                yield new Answer(201, Json.lease(lease));
            }
            case "lease GET" -> Answer.ok(Json.lease(world.lease(app, id)));
            case "lease DELETE" -> {
                world.releaseLease(app, id, call.nonce());
                yield Answer.ok(Json.object());
            }
            default -> throw new FlyError(404, "unknown machine action " + action);
        };
    }

    private Answer createMachine(Call call, String app) {
        JsonNode body = requireBody(call);
        Integer leaseTtl = body.path("lease_ttl").isNumber() ? body.path("lease_ttl").asInt() : null;
        Machine machine = world.createMachine(app, text(body, "name").orElse(null), text(body, "region").orElse(null),
                body.path("config").isObject() ? (ObjectNode) body.get("config") : null,
                body.path("skip_launch").asBoolean(false), leaseTtl);
        return Answer.ok(world.locked(() -> {
            ObjectNode node = Json.machine(machine, false);
            Machine.Lease lease = Machines.lease(machine);
            if (leaseTtl != null && lease != null) {
                node.put("nonce", lease.nonce());
            }
            return node;
        }));
    }

    private Answer listMachines(Call call, String app) {
        Map<String, String> metadata = new LinkedHashMap<>();
        call.query().forEach((key, value) -> {
            if (key.startsWith("metadata.")) {
                metadata.put(key.substring("metadata.".length()), value);
            }
        });
        String region = call.query().get("region");
        Set<String> states = call.query().containsKey("state")
                ? new LinkedHashSet<>(Arrays.asList(call.query().get("state").split(","))) : Set.of();
        boolean summary = call.flag("summary");
        ArrayNode result = Json.array();
        world.listMachines(app, call.flag("include_deleted"), machine -> {
            JsonNode tags = machine.config().path("metadata");
            for (var wanted : metadata.entrySet()) {
                if (!wanted.getValue().equals(tags.path(wanted.getKey()).asString(null))) {
                    return false;
                }
            }
            return (region == null || region.equals(machine.region()))
                    && (states.isEmpty() || states.contains(machine.state()));
        }, machine -> result.add(Json.machine(machine, summary)));
        return Answer.ok(result);
    }

    private Answer waitFor(Call call, String app, String id) {
        String timeoutText = call.query().getOrDefault("timeout", "60");
        int timeout;
        try {
            timeout = Integer.parseInt(timeoutText.replaceAll("s$", ""));
        } catch (NumberFormatException e) {
            throw new FlyError(400, "invalid timeout " + timeoutText);
        }
        if (timeout < 1 || timeout > 60) {
            throw new FlyError(400, "invalid_argument: timeout must be in the range [1s, 1m0s]");
        }
        Set<String> states = new LinkedHashSet<>();
        for (String state : call.query().getOrDefault("state", "started").split(",")) {
            if (!WAIT_STATES.contains(state.trim())) {
                throw new FlyError(400, "invalid state " + state + " (one of " + WAIT_STATES + ")");
            }
            states.add(state.trim());
        }
        if (states.remove("settled")) {
            states.addAll(List.of("started", "stopped", "suspended", "failed", "destroyed"));
        }
        String reached = world.waitFor(app, id, states, Duration.ofSeconds(timeout));
        ObjectNode ok = Json.object();
        ok.put("ok", true);
        ok.put("state", reached);
        return Answer.ok(ok);
    }

    private Answer events(Call call, String app, String id) {
        int limit = Math.max(1, Math.min(50, Integer.parseInt(call.query().getOrDefault("limit", "20"))));
        ArrayNode events = Json.array();
        world.readMachine(app, id, true, machine -> {
            machine.events().stream().limit(limit).forEach(event -> {
                ObjectNode node = events.addObject();
                node.put("id", event.id());
                node.put("type", event.type());
                node.put("status", event.status());
                node.put("source", event.source());
                node.put("timestamp", event.timestamp());
            });
            return null;
        });
        return Answer.ok(events);
    }

    // ---- secrets and IPs ------------------------------------------------------------------------------------------

    private Answer secrets(Call call, String app) {
        List<String> p = call.path();
        if (p.size() == 3) {
            return switch (call.method()) {
                case "GET" -> Answer.ok(world.readApp(app, a -> secretsJson(a, call.flag("show_secrets"))));
                case "POST" -> {
                    JsonNode values = requireBody(call).path("values");
                    if (!values.isObject()) {
                        throw new FlyError(400, "body must be {\"values\": {\"NAME\": \"value\" | null}}");
                    }
                    Map<String, String> changes = new LinkedHashMap<>();
                    values.properties().forEach(entry -> changes.put(entry.getKey(),
                            entry.getValue().isNull() ? null : entry.getValue().asString()));
                    long version = world.setSecrets(app, changes);
                    ObjectNode result = world.readApp(app, a -> secretsJson(a, false));
                    result.put("version", version);
                    yield Answer.ok(result);
                }
                default -> methodNotAllowed();
            };
        }
        String name = p.get(3);
        return switch (call.method()) {
            case "POST" -> {
                JsonNode body = requireBody(call);
                var changes = new LinkedHashMap<String, String>();
                changes.put(name, text(body, "value").orElseThrow(() -> new FlyError(400, "value is required")));
                long version = world.setSecrets(app, changes);
                yield new Answer(201, Json.object().put("version", version));
            }
            case "DELETE" -> {
                world.deleteSecret(app, name);
                yield Answer.ok(Json.object());
            }
            case "GET" -> Answer.ok(world.readApp(app, a -> {
                for (JsonNode secret : secretsJson(a, call.flag("show_secrets")).path("secrets")) {
                    if (name.equals(secret.path("name").asString())) {
                        return secret;
                    }
                }
                throw FlyError.notFound("secret " + name);
            }));
            default -> methodNotAllowed();
        };
    }

    /** Values are write-only unless the caller asks for them with show_secrets, as Fly allows. */
    private static ObjectNode secretsJson(App app, boolean showValues) {
        ObjectNode result = Json.object();
        ArrayNode list = result.putArray("secrets");
        for (App.Secret secret : Machines.secrets(app)) {
            ObjectNode node = list.addObject();
            node.put("name", secret.name());
            node.put("digest", secret.digest());
            if (showValues) {
                node.put("value", secret.value());
            }
            node.put("created_at", Json.time(secret.createdAt()));
            node.put("updated_at", Json.time(secret.updatedAt()));
        }
        result.put("version", Machines.secretsVersion(app));
        return result;
    }

    private Answer ips(Call call, String app) {
        List<String> p = call.path();
        if (p.size() == 3) {
            return switch (call.method()) {
                case "GET" -> {
                    ObjectNode result = Json.object();
                    ArrayNode list = result.putArray("ips");
                    world.readApp(app, a -> {
                        Machines.ips(a).forEach(ip -> list.add(Json.ip(ip)));
                        return null;
                    });
                    yield Answer.ok(result);
                }
                case "POST" -> {
                    JsonNode body = requireBody(call);
                    App.IpAssignment ip = world.assignIp(app, text(body, "type").orElse(null),
                            text(body, "network").orElse(null), text(body, "region").orElse(null));
                    yield Answer.ok(Json.ip(ip));
                }
                default -> methodNotAllowed();
            };
        }
        if ("DELETE".equals(call.method())) {
            world.releaseIp(app, p.get(3));
            return new Answer(204, null);
        }
        return methodNotAllowed();
    }

    // ---- plumbing -------------------------------------------------------------------------------------------------

    private static Answer methodNotAllowed() {
        return new Answer(405, Json.error("method not allowed", null));
    }

    private static JsonNode requireBody(Call call) {
        if (call.body() == null || !call.body().isObject()) {
            throw new FlyError(400, "a JSON object body is required");
        }
        return call.body();
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() && !value.asString().isBlank() ? Optional.of(value.asString()) : Optional.empty();
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readNBytes(1024 * 1024);
        if (bytes.length == 0) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new FlyError(400, "invalid JSON body");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.merge(key, value, (a, b) -> a + "," + b);
        }
        return query;
    }

    private static void write(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("fly-request-id", java.util.UUID.randomUUID().toString());
        exchange.getResponseHeaders().set("Server", "local-fly");
        if (answer.body() == null) {
            exchange.sendResponseHeaders(answer.status(), -1);
            return;
        }
        byte[] bytes = Json.MAPPER.writeValueAsBytes(answer.body());
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
