package com.employable.flotilla.localfly.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import com.employable.flotilla.localfly.machines.App;
import com.employable.flotilla.localfly.machines.Machine;
import com.employable.flotilla.localfly.machines.Machines;

/** Fly's JSON shapes, built by hand so field names and types match the spec and the documented examples. */
public final class Json {

    public static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static ObjectNode machine(Machine machine, boolean summary) {
        ObjectNode node = object();
        node.put("id", machine.id());
        node.put("name", Machines.name(machine));
        node.put("state", machine.state());
        node.put("region", machine.region());
        node.set("image_ref", imageRef(machine.config().path("image").asString()));
        node.put("instance_id", Machines.instanceId(machine));
        node.put("private_ip", Machines.privateIp(machine));
        node.put("created_at", time(Machines.createdAt(machine)));
        node.put("updated_at", time(Machines.updatedAt(machine)));
        if (!summary) {
            node.set("config", machine.config().deepCopy());
            ArrayNode events = node.putArray("events");
            for (Machine.MachineEvent event : machine.events()) {
                ObjectNode e = events.addObject();
                e.put("id", event.id());
                e.put("type", event.type());
                e.put("status", event.status());
                e.put("source", event.source());
                e.put("timestamp", event.timestamp());
            }
            node.putArray("checks");
        }
        node.put("host_status", "ok");
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
        if (slash > 0 && (rest.substring(0, slash).contains(".") || rest.substring(0, slash).contains(":"))) {
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

    static ObjectNode lease(Machine.Lease lease) {
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

    static ObjectNode ip(App.IpAssignment ip) {
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
}
