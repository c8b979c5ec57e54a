package com.employable.flotilla.localfly.api;

import com.employable.flotilla.localfly.http.Answer;
import com.employable.flotilla.localfly.http.Request;
import com.employable.flotilla.localfly.leases.Lease;
import com.employable.flotilla.localfly.world.FlyWorld;
import tools.jackson.databind.JsonNode;

/** {@code /v1/apps/{app}/machines/{id}/lease}: the current nonce, in {@code fly-machine-lease-nonce}, refreshes. */
final class LeaseRoutes {

    private final FlyWorld world;

    LeaseRoutes(FlyWorld world) {
        this.world = world;
    }

    Answer acquire(Request request) {
        JsonNode body = request.body() == null ? Json.object() : request.body();
        Lease lease = world.acquireLease(
                request.param("app"),
                request.param("id"),
                FlyApi.nonce(request),
                body.path("ttl").asInt(30),
                Json.text(body, "description").orElse(null));
        return new Answer(201, Json.lease(lease));
    }

    Answer get(Request request) {
        return Answer.ok(Json.lease(world.lease(request.param("app"), request.param("id"))));
    }

    Answer release(Request request) {
        world.releaseLease(request.param("app"), request.param("id"), FlyApi.nonce(request));
        return Answer.ok(Json.object());
    }
}
