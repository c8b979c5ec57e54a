package com.employable.flotilla.provisioner.fly;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * One request to the Fly API, described rather than executed, so the transport can apply limits, retries and audit
 * uniformly.
 *
 * @param area      circuit-breaker scope (apps, machines, secrets, ips)
 * @param endpoint  the action, also the rate-limit action and metric tag
 * @param rateKey   the id Fly keys its limit on (app name or machine id)
 * @param limitClass rate-limit class ({@link FlyProperties#limits()}): default, get-machine, create-app, delete-app
 */
public record FlyCall<T>(
        String area,
        String endpoint,
        String rateKey,
        String limitClass,
        String method,
        String path,
        Map<String, String> query,
        Map<String, String> headers,
        Object body,
        boolean idempotent,
        Function<JsonNode, T> parser) {

    public static <T> FlyCall<T> of(
            String area,
            String endpoint,
            String rateKey,
            String method,
            String path,
            Object body,
            boolean idempotent,
            Function<JsonNode, T> parser) {
        return new FlyCall<>(
                area,
                endpoint,
                rateKey,
                FlyProperties.DEFAULT,
                method,
                path,
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                body,
                idempotent,
                parser);
    }

    public FlyCall<T> query(String name, Object value) {
        if (value != null) {
            query.put(name, String.valueOf(value));
        }
        return this;
    }

    public FlyCall<T> header(String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
        return this;
    }

    public FlyCall<T> limitClass(String name) {
        return new FlyCall<>(area, endpoint, rateKey, name, method, path, query, headers, body, idempotent, parser);
    }

    T parse(JsonNode node) {
        return parser.apply(node);
    }

    static <T> Function<JsonNode, T> as(Class<T> type) {
        return node -> node == null || node.isNull() ? null : FlyTransport.JSON.treeToValue(node, type);
    }

    static Function<JsonNode, Void> none() {
        return node -> null;
    }
}
