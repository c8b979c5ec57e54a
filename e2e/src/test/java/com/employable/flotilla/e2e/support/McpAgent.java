package com.employable.flotilla.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An agent speaking MCP (Streamable HTTP, JSON-RPC over POST) to its team's server through the registry's gateway,
 * the way any MCP client does: initialize, then requests in that session. Only what harnesses need; the official SDK
 * client is exercised by the services' own tests.
 */
public final class McpAgent {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final String url;

    private final String token;

    private final AtomicInteger ids = new AtomicInteger();

    private String session;

    McpAgent(String url, String token) {
        this.url = url;
        this.token = token;
    }

    /** One exchange's outcome: the HTTP status and the body (SSE or JSON, as the server chose). */
    public record Answer(int status, String body, long nanos) {

        public boolean ok() {
            return status == 200 && !body.contains("\"error\"");
        }
    }

    /** Opens a session: initialize, then the initialized notification. */
    public Answer initialize() throws IOException, InterruptedException {
        session = null;
        Answer init = post("""
                {"jsonrpc":"2.0","id":%d,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
                "capabilities":{},"clientInfo":{"name":"flotilla-e2e","version":"1"}}}""".formatted(ids.incrementAndGet()));
        if (init.status() == 200 && session != null) {
            post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        }
        return init;
    }

    public Answer toolsList() throws IOException, InterruptedException {
        return post("{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet() + ",\"method\":\"tools/list\"}");
    }

    public Answer ping() throws IOException, InterruptedException {
        return post("{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet() + ",\"method\":\"ping\"}");
    }

    /** Calls a tool with its arguments as a JSON object text. */
    public Answer callTool(String tool, String argumentsJson) throws IOException, InterruptedException {
        return post("{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet()
                + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + argumentsJson
                + "}}");
    }

    public boolean hasSession() {
        return session != null;
    }

    private Answer post(String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-06-18")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        long start = System.nanoTime();
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        long nanos = System.nanoTime() - start;
        response.headers().firstValue("Mcp-Session-Id").ifPresent(id -> session = id);
        return new Answer(response.statusCode(), response.body(), nanos);
    }
}
