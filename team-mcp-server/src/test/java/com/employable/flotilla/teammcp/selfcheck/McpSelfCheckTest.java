package com.employable.flotilla.teammcp.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.teammcp.Secret;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The self-check's conversation against a stand-in for the server's own endpoint: what each way of failing reads like
 * in the one line flyd keeps as the check's output.
 */
class McpSelfCheckTest {

    private static final String TOKEN = "probe-token-of-this-server-0123";

    private final HttpServer server = start();

    /** What the stand-in answers to a {@code tools/list}: status, content type, body. */
    private final AtomicReference<String[]> toolsList = new AtomicReference<>(new String[] {
        "200",
        "text/event-stream",
        "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":[{},{}]}}\n\n"
    });

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private HttpServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/mcp", this::answer);
            http.start();
            return http;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (body.contains("\"initialize\"")) {
            exchange.getResponseHeaders().set("Mcp-Session-Id", "s-1");
            reply(exchange, "200", "application/json", """
                    {"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","capabilities":{}}}""");
        } else if (body.contains("notifications/initialized")) {
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        } else if (body.contains("tools/list")) {
            String[] answer = toolsList.get();
            if ("hang".equals(answer[0])) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            reply(exchange, answer[0], answer[1], answer[2]);
        } else {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        }
    }

    private static void reply(HttpExchange exchange, String status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders("hang".equals(status) ? 200 : Integer.parseInt(status), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private McpSelfCheck check(Duration deadline) {
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
        return new McpSelfCheck(() -> endpoint, Optional.of(Secret.ofUtf8(TOKEN)), deadline);
    }

    @Test
    void aServerThatListsItsToolsPassesWithTheCountAndTheProtocol() {
        McpSelfCheck.Outcome outcome = check(Duration.ofSeconds(4)).run();

        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.summary())
                .matches("MCP ok: initialize \\+ tools/list: 2 tools, protocol 2025-11-25, in \\d+ ms");
    }

    @Test
    void aJsonRpcErrorFailsOnOneCleanLineWithoutTheTokenItEchoes() {
        toolsList.set(new String[] {
            "200",
            "application/json",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32603,\"message\":\"registry down\\r\\nFAKE log line"
                    + " \\u202e Authorization: Bearer " + TOKEN + "\"}}"
        });

        McpSelfCheck.Outcome outcome = check(Duration.ofSeconds(4)).run();

        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.summary())
                .startsWith("MCP self-check failed (protocol): tools/list: JSON-RPC error -32603: registry down FAKE")
                .doesNotContain(TOKEN)
                .doesNotContain("\r")
                .doesNotContain("\n")
                .doesNotContain("\u202e")
                .contains("Bearer ***");
    }

    @Test
    void anHttpErrorAndARefusedTokenAreNamedAsSuch() {
        toolsList.set(
                new String[] {"500", "application/json", "{\"jsonrpc\":\"2.0\",\"error\":{\"message\":\"boom\"}}"});
        assertThat(check(Duration.ofSeconds(4)).run().summary())
                .isEqualTo("MCP self-check failed (http): tools/list: HTTP 500: boom");

        toolsList.set(new String[] {"403", "application/json", "{}"});
        assertThat(check(Duration.ofSeconds(4)).run().summary())
                .isEqualTo("MCP self-check failed (auth): tools/list: HTTP 403");
    }

    @Test
    void aHungServerFailsAtTheDeadlineNotAtFlysTimeout() {
        toolsList.set(new String[] {"hang", "application/json", "{}"});

        McpSelfCheck.Outcome outcome = check(Duration.ofMillis(800)).run();

        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.summary())
                .isEqualTo("MCP self-check failed (timeout): tools/list timed out (deadline 800 ms)");
    }

    @Test
    void nothingListeningIsAConnectFailure() {
        int port = server.getAddress().getPort();
        server.stop(0);
        URI endpoint = URI.create("http://127.0.0.1:" + port + "/mcp");

        McpSelfCheck.Outcome outcome =
                new McpSelfCheck(() -> endpoint, Optional.of(Secret.ofUtf8(TOKEN)), Duration.ofSeconds(2)).run();

        assertThat(outcome.summary())
                .isEqualTo("MCP self-check failed (connect): initialize: connection refused on loopback");
    }

    @Test
    void theLoopbackAddressIsTheOneTheServerListensOn() {
        assertThat(McpSelfCheck.loopback("0.0.0.0", 8080, "/mcp")).hasToString("http://127.0.0.1:8080/mcp");
        assertThat(McpSelfCheck.loopback("::", 8080, "/mcp")).hasToString("http://127.0.0.1:8080/mcp");
        assertThat(McpSelfCheck.loopback("127.0.0.1", 9, "/mcp")).hasToString("http://127.0.0.1:9/mcp");
        assertThat(McpSelfCheck.loopback("fdaa::3", 8080, "/mcp")).hasToString("http://[fdaa::3]:8080/mcp");
    }
}
