package com.employable.flotilla.localfly.api;

import com.employable.flotilla.localfly.error.FlyError;
import com.employable.flotilla.localfly.http.Answer;
import com.employable.flotilla.localfly.http.Request;
import com.employable.flotilla.localfly.secrets.Secret;
import com.employable.flotilla.localfly.secrets.SecretSet;
import com.employable.flotilla.localfly.secrets.Secrets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /v1/apps/{app}/secrets[/{name}]}. Values are write-only unless the caller asks for them with
 * {@code show_secrets}, as Fly allows; digests always.
 */
final class SecretRoutes {

    private final Secrets secrets;

    SecretRoutes(Secrets secrets) {
        this.secrets = secrets;
    }

    Answer list(Request request) {
        return Answer.ok(json(secrets.of(request.param("app")), request.flag("show_secrets")));
    }

    /** {@code {"values": {"NAME": "value" | null}}}: null unsets. */
    Answer set(Request request) {
        JsonNode values = request.requireBody().path("values");
        if (!values.isObject()) {
            throw new FlyError(400, "body must be {\"values\": {\"NAME\": \"value\" | null}}");
        }
        Map<String, String> changes = new LinkedHashMap<>();
        values.properties()
                .forEach(entry -> changes.put(
                        entry.getKey(),
                        entry.getValue().isNull() ? null : entry.getValue().asString()));
        return Answer.ok(json(secrets.set(request.param("app"), changes), false));
    }

    Answer setOne(Request request) {
        String value =
                Json.text(request.requireBody(), "value").orElseThrow(() -> new FlyError(400, "value is required"));
        var changes = new LinkedHashMap<String, String>();
        changes.put(request.param("name"), value);
        long version = secrets.set(request.param("app"), changes).version();
        return new Answer(201, Json.object().put("version", version));
    }

    Answer getOne(Request request) {
        String name = request.param("name");
        for (JsonNode secret : json(secrets.of(request.param("app")), request.flag("show_secrets"))
                .path("secrets")) {
            if (name.equals(secret.path("name").asString())) {
                return Answer.ok(secret);
            }
        }
        throw FlyError.notFound("secret " + name);
    }

    Answer deleteOne(Request request) {
        secrets.delete(request.param("app"), request.param("name"));
        return Answer.ok(Json.object());
    }

    private static ObjectNode json(SecretSet set, boolean showValues) {
        ObjectNode result = Json.object();
        ArrayNode list = result.putArray("secrets");
        for (Secret secret : set.secrets()) {
            ObjectNode node = list.addObject();
            node.put("name", secret.name());
            node.put("digest", secret.digest());
            if (showValues) {
                node.put("value", secret.value());
            }
            node.put("created_at", Json.time(secret.createdAt()));
            node.put("updated_at", Json.time(secret.updatedAt()));
        }
        result.put("version", set.version());
        return result;
    }
}
