package com.employable.flotilla.health.probe;

import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The JSON-RPC 2.0 messages of the probe's MCP conversation: requests it sends, and how it reads the answers. */
final class JsonRpc {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private JsonRpc() {}

    static ObjectNode request(int id, String method, ObjectNode params) {
        ObjectNode request = JSON.createObjectNode();
        request.put("jsonrpc", "2.0");
        request.put("id", id);
        request.put("method", method);
        request.set("params", params);
        return request;
    }

    static boolean isResponse(JsonNode message, int id) {
        JsonNode messageId = message.get("id");
        return messageId != null
                && messageId.isNumber()
                && messageId.asInt() == id
                && (message.has("result") || message.has("error"));
    }

    /** The result of a JSON-RPC response, or the violation its error or shape is. */
    static JsonNode result(JsonNode message) {
        JsonNode error = message.get("error");
        if (error != null && !error.isNull()) {
            throw new ProtocolViolation("JSON-RPC error " + error.path("code").asString("") + ": "
                    + FailureClassifier.untrusted(error.path("message").asString("")));
        }
        JsonNode result = message.get("result");
        if (result == null || !result.isObject()) {
            throw new ProtocolViolation("JSON-RPC response without a result object");
        }
        return result;
    }

    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? Optional.of(value.asString()) : Optional.empty();
    }

    /** The server broke the MCP or JSON-RPC contract (or answered a non-2xx status, classified by its code). */
    static final class ProtocolViolation extends RuntimeException {

        ProtocolViolation(String message) {
            super(message, null, false, false);
        }
    }
}
