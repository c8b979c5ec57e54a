package com.employable.flotilla.localfly.http;

import com.employable.flotilla.localfly.error.FlyError;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reading a JDK {@link HttpExchange}'s JSON body and query, and writing a JSON answer the way Fly does. */
public final class Exchanges {

    public static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final int MAX_BODY = 1024 * 1024;

    private Exchanges() {}

    /** The JSON body, null when empty; 400 for JSON that does not parse. */
    public static JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readNBytes(MAX_BODY);
        if (bytes.length == 0) {
            return null;
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new FlyError(400, "invalid JSON body");
        }
    }

    /** Decoded; a parameter given twice is joined with a comma. */
    public static Map<String, String> query(String raw) {
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

    public static void write(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("fly-request-id", UUID.randomUUID().toString());
        exchange.getResponseHeaders().set("Server", "local-fly");
        if (answer.body() == null) {
            exchange.sendResponseHeaders(answer.status(), -1);
            return;
        }
        byte[] bytes = MAPPER.writeValueAsBytes(answer.body());
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
