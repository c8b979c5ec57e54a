package com.employable.flotilla.localfly.proxy;

import com.employable.flotilla.localfly.http.Exchanges;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a machine of the simulated runtime answers, having no process: just enough MCP over Streamable HTTP (JSON
 * answers) for the platform to treat it as a server (initialize with a session id, notifications accepted, ping,
 * tools/list with one tool, tools/call), and 200 on {@code /healthz}. It checks no credential and keeps no state: it
 * lets runs with thousands of simulated machines reach {@code ready} (probes, the gateway) without a JVM per machine,
 * and says so in its server info.
 */
final class SimulatedServer {

    private SimulatedServer() {}

    static void answer(HttpExchange exchange, String machineId) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if ("GET".equals(exchange.getRequestMethod()) && path.endsWith("/healthz")) {
            json(exchange, 200, Exchanges.MAPPER.createObjectNode().put("status", "ok"), null);
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            Forwarder.fail(exchange, 405, "the simulated server answers MCP over POST only");
            return;
        }
        JsonNode request;
        try {
            request = Exchanges.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
        } catch (RuntimeException notJson) {
            Forwarder.fail(exchange, 400, "not JSON-RPC");
            return;
        }
        String method = request.path("method").asString("");
        if (!request.has("id")) {
            exchange.sendResponseHeaders(202, -1);
            return;
        }
        ObjectNode result = Exchanges.MAPPER.createObjectNode();
        String session = null;
        switch (method) {
            case "initialize" -> {
                session = UUID.randomUUID().toString();
                result.put(
                        "protocolVersion",
                        request.path("params").path("protocolVersion").asString("2025-06-18"));
                result.putObject("capabilities").putObject("tools");
                result.putObject("serverInfo")
                        .put("name", "local-fly-simulated-" + machineId)
                        .put("version", "0");
            }
            case "ping" -> {}
            case "tools/list" -> {
                ObjectNode tool = result.putArray("tools").addObject();
                tool.put("name", "team_info").put("description", "Simulated machine: answers without a server");
                tool.putObject("inputSchema").put("type", "object");
            }
            case "tools/call" ->
                result.putArray("content")
                        .addObject()
                        .put("type", "text")
                        .put("text", "simulated machine " + machineId);
            default -> {
                ObjectNode error = Exchanges.MAPPER.createObjectNode();
                error.put("jsonrpc", "2.0").set("id", request.get("id"));
                error.putObject("error").put("code", -32601).put("message", "method not found: " + method);
                json(exchange, 200, error, null);
                return;
            }
        }
        ObjectNode response = Exchanges.MAPPER.createObjectNode();
        response.put("jsonrpc", "2.0").set("id", request.get("id"));
        response.set("result", result);
        json(exchange, 200, response, session);
    }

    private static void json(HttpExchange exchange, int status, JsonNode body, String session) throws IOException {
        byte[] bytes = Exchanges.MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (session != null) {
            exchange.getResponseHeaders().set("Mcp-Session-Id", session);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
