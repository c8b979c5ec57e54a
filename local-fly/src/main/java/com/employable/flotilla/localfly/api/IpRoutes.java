package com.employable.flotilla.localfly.api;

import com.employable.flotilla.localfly.http.Answer;
import com.employable.flotilla.localfly.http.Request;
import com.employable.flotilla.localfly.ips.IpAssignments;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /v1/apps/{app}/ip_assignments[/{ip}]}. */
final class IpRoutes {

    private final IpAssignments ips;

    IpRoutes(IpAssignments ips) {
        this.ips = ips;
    }

    Answer list(Request request) {
        ObjectNode result = Json.object();
        ArrayNode list = result.putArray("ips");
        ips.of(request.param("app")).forEach(ip -> list.add(Json.ip(ip)));
        return Answer.ok(result);
    }

    /** {@code {type: v6|shared_v4|v4|private_v6, network?, region?}}. */
    Answer assign(Request request) {
        JsonNode body = request.requireBody();
        return Answer.ok(Json.ip(ips.assign(
                request.param("app"),
                Json.text(body, "type").orElse(null),
                Json.text(body, "network").orElse(null),
                Json.text(body, "region").orElse(null))));
    }

    Answer release(Request request) {
        ips.release(request.param("app"), request.param("ip"));
        return new Answer(204, null);
    }
}
