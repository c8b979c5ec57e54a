package com.employable.flotilla.devstack.mcp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real MCP exchange as an agent makes it through the registry's gateway: {@code initialize},
 * {@code notifications/initialized}, {@code tools/list}, over Streamable HTTP (JSON or SSE answers).
 */
public final class McpClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final Duration timeout;

    public McpClient(Duration timeout) {
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.timeout = timeout;
    }

    /**
     * What one exchange gave.
     *
     * @param status the HTTP status of the step that failed, or of {@code tools/list}; 0 when nothing answered
     * @param tools the tool names, empty unless it succeeded
     * @param failure why it failed, null on success
     * @param took from the first request to the last answer
     */
    public record ToolsList(int status, List<String> tools, String failure, Duration took) {

        public boolean ok() {
            return failure == null;
        }
    }

    public ToolsList toolsList(String url, String bearer) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> init = post(url, bearer, null, """
                    {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",\
                    "capabilities":{},"clientInfo":{"name":"flotilla-devstack","version":"1"}}}""");
            if (init.statusCode() != 200) {
                return failed(init.statusCode(), "initialize failed: HTTP " + init.statusCode(), started);
            }
            String session = init.headers().firstValue("Mcp-Session-Id").orElse(null);
            post(url, bearer, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            HttpResponse<String> list =
                    post(url, bearer, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
            if (list.statusCode() != 200) {
                return failed(list.statusCode(), "tools/list failed: HTTP " + list.statusCode(), started);
            }
            JsonNode tools =
                    JSON.readTree(jsonRpcBody(list.body())).path("result").path("tools");
            List<String> names = new ArrayList<>();
            tools.forEach(tool -> names.add(tool.path("name").asString()));
            if (names.isEmpty()) {
                return failed(list.statusCode(), "tools/list returned no tools", started);
            }
            return new ToolsList(list.statusCode(), List.copyOf(names), null, since(started));
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            return failed(0, "unreachable (" + e.getClass().getSimpleName() + ")", started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(0, "interrupted", started);
        }
    }

    private HttpResponse<String> post(String url, String bearer, String session, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-11-25")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON-RPC message of a response that is plain JSON or an SSE stream of {@code data:} lines. */
    public static String jsonRpcBody(String body) {
        if (body.stripLeading().startsWith("{")) {
            return body;
        }
        StringBuilder data = new StringBuilder();
        for (String line : body.split("\r?\n")) {
            if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            }
        }
        return data.toString();
    }

    private static ToolsList failed(int status, String why, long started) {
        return new ToolsList(status, List.of(), why, since(started));
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
