package com.employable.flotilla.localfly.api;

import com.employable.flotilla.localfly.checks.CheckStatus;
import com.employable.flotilla.localfly.http.Exchanges;
import com.employable.flotilla.localfly.ips.IpAssignment;
import com.employable.flotilla.localfly.leases.Lease;
import com.employable.flotilla.localfly.machines.MachineEvent;
import com.employable.flotilla.localfly.machines.MachineView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Fly's JSON shapes, built by hand so field names and types match the spec and the documented examples. */
public final class Json {

    static final JsonMapper MAPPER = Exchanges.MAPPER;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static ObjectNode machine(MachineView machine, boolean summary) {
        return machine(machine, summary, List.of());
    }

    /** With {@code checks[]} as flyd reports them (left out of a summary, as Fly does). */
    static ObjectNode machine(MachineView machine, boolean summary, List<CheckStatus> checks) {
        ObjectNode node = object();
        node.put("id", machine.id());
        node.put("name", machine.name());
        node.put("state", machine.state());
        node.put("region", machine.region());
        node.set("image_ref", imageRef(machine.config().path("image").asString()));
        node.put("instance_id", machine.instanceId());
        node.put("private_ip", machine.privateIp());
        node.put("created_at", time(machine.createdAt()));
        node.put("updated_at", time(machine.updatedAt()));
        if (!summary) {
            node.set("config", machine.config().deepCopy());
            ArrayNode events = node.putArray("events");
            machine.events().forEach(event -> events.add(event(event)));
            ArrayNode statuses = node.putArray("checks");
            checks.forEach(check -> statuses.add(check(check)));
        }
        node.put("host_status", "ok");
        return node;
    }

    /** Fly's {@code CheckStatus}; {@code updated_at} with Fly's sub-second precision. */
    static ObjectNode check(CheckStatus check) {
        ObjectNode node = object();
        node.put("name", check.name());
        node.put("status", check.status());
        node.put("output", check.output());
        node.put("updated_at", check.updatedAt().toString());
        return node;
    }

    static ObjectNode event(MachineEvent event) {
        ObjectNode node = object();
        node.put("id", event.id());
        node.put("type", event.type());
        node.put("status", event.status());
        node.put("source", event.source());
        node.put("timestamp", event.timestamp());
        return node;
    }

    /** {@code registry/repository:tag@digest} split the way Fly reports it. */
    static ObjectNode imageRef(String image) {
        ObjectNode ref = object();
        String rest = image;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String registry = "docker-hub-mirror.fly.io";
        int slash = rest.indexOf('/');
        if (slash > 0
                && (rest.substring(0, slash).contains(".")
                        || rest.substring(0, slash).contains(":"))) {
            registry = rest.substring(0, slash);
            rest = rest.substring(slash + 1);
        }
        String tag = "latest";
        int colon = rest.lastIndexOf(':');
        if (colon > 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        ref.put("registry", registry);
        ref.put("repository", rest.contains("/") ? rest : "library/" + rest);
        ref.put("tag", tag);
        ref.put("digest", digest);
        ref.putObject("labels");
        return ref;
    }

    static ObjectNode lease(Lease lease) {
        ObjectNode data = object();
        data.put("nonce", lease.nonce());
        data.put("expires_at", lease.expiresAt());
        data.put("owner", lease.owner());
        data.put("description", lease.description());
        data.put("version", lease.version());
        ObjectNode wrapped = object();
        wrapped.put("status", "success");
        wrapped.set("data", data);
        return wrapped;
    }

    static ObjectNode ip(IpAssignment ip) {
        ObjectNode node = object();
        node.put("ip", ip.ip());
        node.put("type", ip.type());
        node.put("region", ip.region());
        node.put("shared", ip.shared());
        node.put("service_name", "");
        if (ip.network() != null) {
            node.put("network", ip.network());
        }
        node.put("created_at", time(ip.createdAt()));
        return node;
    }

    static ObjectNode error(String message, String status) {
        ObjectNode node = object();
        node.put("error", message);
        if (status != null) {
            node.put("status", status);
        }
        return node;
    }

    /** A non-blank string field. */
    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() && !value.asString().isBlank() ? Optional.of(value.asString()) : Optional.empty();
    }
}
