package com.employable.flotilla.localfly.http;

import com.employable.flotilla.localfly.error.FlyError;
import com.sun.net.httpserver.Headers;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A request as a route's handler sees it.
 *
 * @param params the path's named parameters, URL-decoded
 * @param query  query parameters, URL-decoded; a repeated one joined with commas
 * @param body   the JSON body, or null when there is none
 */
public record Request(
        String method, Map<String, String> params, Map<String, String> query, JsonNode body, Headers headers) {

    public Request {
        params = Map.copyOf(params);
        query = Map.copyOf(query);
    }

    /** The same request with the parameters its route captured. */
    public Request withParams(Map<String, String> captured) {
        return new Request(method, captured, query, body, headers);
    }

    public String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalStateException("the route has no parameter {" + name + "}");
        }
        return value;
    }

    public boolean flag(String name) {
        return "true".equalsIgnoreCase(query.get(name)) || "1".equals(query.get(name));
    }

    public String header(String name) {
        return headers.getFirst(name);
    }

    /** The body, which must be a JSON object (400 otherwise). */
    public JsonNode requireBody() {
        if (body == null || !body.isObject()) {
            throw new FlyError(400, "a JSON object body is required");
        }
        return body;
    }
}
