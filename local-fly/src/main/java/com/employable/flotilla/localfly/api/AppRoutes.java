package com.employable.flotilla.localfly.api;

import com.employable.flotilla.localfly.apps.App;
import com.employable.flotilla.localfly.http.Answer;
import com.employable.flotilla.localfly.http.Request;
import com.employable.flotilla.localfly.world.FlyWorld;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /v1/apps} and {@code /v1/apps/{app}}. */
final class AppRoutes {

    private final FlyWorld world;

    AppRoutes(FlyWorld world) {
        this.world = world;
    }

    Answer create(Request request) {
        JsonNode body = request.requireBody();
        String name = Json.text(body, "app_name")
                .orElseGet(() -> Json.text(body, "name").orElse(null));
        App app = world.apps()
                .create(
                        name,
                        Json.text(body, "org_slug").orElse(null),
                        Json.text(body, "network").orElse(null));
        ObjectNode created = Json.object();
        created.put("id", app.id());
        created.put("created_at", app.createdAt().toEpochMilli());
        return new Answer(201, created);
    }

    Answer list(Request request) {
        ArrayNode apps = Json.array();
        for (App app : world.apps().list(request.query().get("org_slug"))) {
            ObjectNode node = apps.addObject();
            node.put("id", app.id());
            node.put("name", app.name());
            node.put("machine_count", world.machines().countOf(app.name()));
            node.put("volume_count", 0);
            node.put("network", app.network());
        }
        ObjectNode result = Json.object();
        result.put("total_apps", apps.size());
        result.set("apps", apps);
        return Answer.ok(result);
    }

    Answer get(Request request) {
        App app = world.apps().require(request.param("app"));
        ObjectNode node = Json.object();
        node.put("id", app.id());
        node.put("name", app.name());
        node.put("status", "deployed");
        ObjectNode org = node.putObject("organization");
        org.put("name", app.org());
        org.put("slug", app.org());
        node.put("network", app.network());
        node.put("machine_count", world.machines().countOf(app.name()));
        node.put("volume_count", 0);
        node.put("internal_numeric_id", app.networkId());
        return Answer.ok(node);
    }

    Answer delete(Request request) {
        world.deleteApp(request.param("app"), request.flag("force"));
        return new Answer(202, Json.object());
    }
}
