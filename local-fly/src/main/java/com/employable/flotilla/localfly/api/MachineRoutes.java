package com.employable.flotilla.localfly.api;

import com.employable.flotilla.localfly.checks.MachineChecks;
import com.employable.flotilla.localfly.error.FlyError;
import com.employable.flotilla.localfly.http.Answer;
import com.employable.flotilla.localfly.http.Request;
import com.employable.flotilla.localfly.leases.Leases;
import com.employable.flotilla.localfly.machines.ExecResult;
import com.employable.flotilla.localfly.machines.MachineActions;
import com.employable.flotilla.localfly.machines.MachineView;
import com.employable.flotilla.localfly.machines.Machines;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /v1/apps/{app}/machines[/{id}[/start|stop|suspend|restart|events]]}; waits are {@link WaitRoute}. */
final class MachineRoutes {

    private final Machines machines;
    private final MachineActions actions;
    private final Leases leases;
    private final MachineChecks checks;

    MachineRoutes(Machines machines, Leases leases, MachineChecks checks) {
        this.machines = machines;
        this.actions = machines.actions();
        this.leases = leases;
        this.checks = checks;
    }

    private ObjectNode json(MachineView machine, boolean summary) {
        return Json.machine(machine, summary, checks.statuses(machine.id()));
    }

    Answer create(Request request) {
        JsonNode body = request.requireBody();
        Integer leaseTtl =
                body.path("lease_ttl").isNumber() ? body.path("lease_ttl").asInt() : null;
        MachineView machine = machines.create(
                request.param("app"),
                Json.text(body, "name").orElse(null),
                Json.text(body, "region").orElse(null),
                config(body),
                body.path("skip_launch").asBoolean(false),
                leaseTtl);
        ObjectNode node = json(machine, false);
        if (leaseTtl != null) {
            leases.find(machine.id()).ifPresent(lease -> node.put("nonce", lease.nonce()));
        }
        return Answer.ok(node);
    }

    /** Filters: {@code metadata.{key}=}, {@code region=}, {@code state=a,b}; {@code summary} drops config and events. */
    Answer list(Request request) {
        Map<String, String> metadata = new LinkedHashMap<>();
        request.query().forEach((key, value) -> {
            if (key.startsWith("metadata.")) {
                metadata.put(key.substring("metadata.".length()), value);
            }
        });
        String region = request.query().get("region");
        Set<String> states = request.query().containsKey("state")
                ? new LinkedHashSet<>(Arrays.asList(request.query().get("state").split(",")))
                : Set.of();
        Predicate<MachineView> wanted = machine -> {
            JsonNode tags = machine.config().path("metadata");
            return metadata.entrySet().stream()
                            .allMatch(tag -> tag.getValue()
                                    .equals(tags.path(tag.getKey()).asString(null)))
                    && (region == null || region.equals(machine.region()))
                    && (states.isEmpty() || states.contains(machine.state()));
        };
        boolean summary = request.flag("summary");
        ArrayNode result = Json.array();
        machines.list(request.param("app"), request.flag("include_deleted"), wanted)
                .forEach(machine -> result.add(json(machine, summary)));
        return Answer.ok(result);
    }

    Answer get(Request request) {
        return Answer.ok(json(machines.view(request.param("app"), request.param("id"), true), false));
    }

    Answer update(Request request) {
        JsonNode body = request.requireBody();
        MachineView machine = machines.update(
                request.param("app"),
                request.param("id"),
                FlyApi.nonce(request),
                Json.text(body, "region").orElse(null),
                Json.text(body, "name").orElse(null),
                config(body),
                body.path("skip_launch").asBoolean(false));
        return Answer.ok(json(machine, false));
    }

    Answer destroy(Request request) {
        machines.destroy(request.param("app"), request.param("id"), FlyApi.nonce(request), request.flag("force"));
        return ok();
    }

    Answer start(Request request) {
        String previous = actions.start(request.param("app"), request.param("id"), FlyApi.nonce(request));
        ObjectNode started = Json.object();
        started.put("previous_state", previous);
        started.put("migrated", false);
        started.put("new_host", "");
        return Answer.ok(started);
    }

    Answer stop(Request request) {
        actions.stop(request.param("app"), request.param("id"), FlyApi.nonce(request));
        return ok();
    }

    Answer suspend(Request request) {
        actions.suspend(request.param("app"), request.param("id"), FlyApi.nonce(request));
        return ok();
    }

    Answer restart(Request request) {
        actions.restart(request.param("app"), request.param("id"), FlyApi.nonce(request));
        return ok();
    }

    /**
     * {@code {command: [...], timeout?, stdin?}} (or the deprecated {@code cmd} string, split on spaces) → 200
     * {@code {exit_code, exit_signal, stdout, stderr}} whatever the command did; {@code timeout} in seconds, 1..60,
     * 60 by default.
     */
    Answer exec(Request request) {
        JsonNode body = request.requireBody();
        var command = new java.util.ArrayList<String>();
        if (body.path("command").isArray()) {
            body.path("command").forEach(part -> command.add(part.asString()));
        } else {
            Json.text(body, "cmd")
                    .ifPresent(cmd -> command.addAll(Arrays.asList(cmd.trim().split("\\s+"))));
        }
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new FlyError(400, "invalid_argument: command is required");
        }
        int timeout = body.path("timeout").isNumber() ? body.path("timeout").asInt() : 60;
        if (timeout < 1 || timeout > 60) {
            throw new FlyError(400, "invalid_argument: timeout must be within [1s, 1m0s]");
        }
        String stdin = body.path("stdin").isString() ? body.path("stdin").asString() : null;
        ExecResult result = machines.exec(
                request.param("app"), request.param("id"), command, stdin, java.time.Duration.ofSeconds(timeout));
        ObjectNode answer = Json.object();
        answer.put("exit_code", result.exitCode());
        answer.put("exit_signal", 0);
        answer.put("stdout", result.stdout());
        answer.put("stderr", result.stderr());
        return Answer.ok(answer);
    }

    /** {@code POST .../metadata/{key}} {@code {"value": "..."}} → 204. */
    Answer setMetadata(Request request) {
        JsonNode body = request.requireBody();
        if (!body.path("value").isString()) {
            throw new FlyError(400, "invalid_argument: value is required");
        }
        machines.setMetadata(
                request.param("app"),
                request.param("id"),
                request.param("key"),
                body.path("value").asString());
        return new Answer(204, null);
    }

    /** {@code GET .../metadata} → the machine's metadata. */
    Answer metadata(Request request) {
        JsonNode metadata = machines.view(request.param("app"), request.param("id"), false)
                .config()
                .path("metadata");
        return Answer.ok(metadata.isObject() ? metadata : Json.object());
    }

    /** Newest first, {@code limit} 1..50 (20 by default). */
    Answer events(Request request) {
        int limit = Math.max(1, Math.min(50, Integer.parseInt(request.query().getOrDefault("limit", "20"))));
        ArrayNode events = Json.array();
        machines.view(request.param("app"), request.param("id"), true).events().stream()
                .limit(limit)
                .forEach(event -> events.add(Json.event(event)));
        return Answer.ok(events);
    }

    private static ObjectNode config(JsonNode body) {
        return body.path("config").isObject() ? (ObjectNode) body.get("config") : null;
    }

    private static Answer ok() {
        return Answer.ok(Json.object().put("ok", true));
    }
}
