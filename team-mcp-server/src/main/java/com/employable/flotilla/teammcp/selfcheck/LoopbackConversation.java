package com.employable.flotilla.teammcp.selfcheck;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Streamable HTTP exchanges of one self-check, written with {@link HttpURLConnection} (in {@code java.base}: the
 * jlinked image needs no further module), each bounded by what is left of the conversation's deadline. Answers may be
 * JSON or an event stream carrying the response as an event; either is read only up to {@link #MAX_ANSWER_BYTES}.
 */
final class LoopbackConversation {

    static final int MAX_ANSWER_BYTES = 64 * 1024;

    private static final String PROTOCOL_VERSION = "2025-11-25";

    // the SDK's mapper too: no second set of serializers on a woken machine
    private static final JsonMapper JSON = JsonMapper.shared();

    private final URI endpoint;

    private final String token;

    private final long deadlineNanos;

    private String session;

    private String protocol;

    LoopbackConversation(URI endpoint, String token, long deadlineNanos) {
        this.endpoint = endpoint;
        this.token = token;
        this.deadlineNanos = deadlineNanos;
    }

    /** The server answered, but not as an MCP server should: the kind names the health-service's failure kinds. */
    static final class Refused extends IOException {
        private final String kind;

        Refused(String kind, String message) {
            super(message);
            this.kind = kind;
        }

        String kind() {
            return kind;
        }
    }

    /** @return the negotiated protocol version */
    String initialize() throws IOException {
        JsonNode result = request(1, "initialize", """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"%s","capabilities":{},
                 "clientInfo":{"name":"flotilla-self-check","version":"1"}}}""".formatted(PROTOCOL_VERSION));
        JsonNode version = result.get("protocolVersion");
        if (version == null || !version.isString() || version.stringValue().isBlank()) {
            throw new Refused("protocol", "the initialize result names no protocolVersion");
        }
        protocol = version.stringValue();
        return protocol;
    }

    void initialized() throws IOException {
        HttpURLConnection connection = open("POST");
        send(connection, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        int status = connection.getResponseCode();
        drain(connection, status);
        if (status != 202 && status != 200 && status != 204) {
            throw refusal(status, connection);
        }
    }

    /** @return how many tools the first page lists */
    int listTools() throws IOException {
        JsonNode tools = request(
                        2, "tools/list", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}")
                .get("tools");
        if (tools == null || !tools.isArray()) {
            throw new Refused("protocol", "the tools/list result has no tools array");
        }
        return tools.size();
    }

    /** Ends the session, briefly and quietly: a slow close never changes the outcome. */
    void close() {
        if (session == null) {
            return;
        }
        try {
            HttpURLConnection connection = open("DELETE");
            connection.setReadTimeout(500);
            drain(connection, connection.getResponseCode());
        } catch (IOException ignored) {
            // the SDK's session sweeper ends it later
        }
    }

    private JsonNode request(int id, String method, String body) throws IOException {
        HttpURLConnection connection = open("POST");
        send(connection, body);
        int status = connection.getResponseCode();
        if (status != 200) {
            throw refusal(status, connection);
        }
        if (id == 1) {
            session = connection.getHeaderField("Mcp-Session-Id");
        }
        String type = String.valueOf(connection.getContentType()).toLowerCase(Locale.ROOT);
        JsonNode answer;
        try (InputStream in = connection.getInputStream()) {
            answer = type.startsWith("text/event-stream") ? fromEventStream(in, id) : parse(readCapped(in));
        }
        if (answer == null || !answer.isObject()) {
            throw new Refused("protocol", method + " got no JSON-RPC response");
        }
        JsonNode error = answer.get("error");
        if (error != null && error.isObject()) {
            throw new Refused(
                    "protocol",
                    "JSON-RPC error " + error.path("code").asInt() + ": "
                            + error.path("message").asString(""));
        }
        JsonNode result = answer.get("result");
        if (result == null || !result.isObject()) {
            throw new Refused("protocol", method + " answered without a result");
        }
        return result;
    }

    /** Reads events until the one holding the response with this id. */
    private static JsonNode fromEventStream(InputStream in, int id) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        var data = new StringBuilder();
        long read = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            read += line.length() + 1;
            if (read > MAX_ANSWER_BYTES) {
                throw new Refused("protocol", "the answer is larger than " + MAX_ANSWER_BYTES + " bytes");
            }
            if (line.startsWith("data:")) {
                data.append(line.substring(5).stripLeading()).append('\n');
            } else if (line.isEmpty() && !data.isEmpty()) {
                JsonNode event = parse(data.toString());
                data.setLength(0);
                if (event.path("id").asInt(-1) == id) {
                    return event;
                }
            }
        }
        return data.isEmpty() ? null : parse(data.toString());
    }

    private HttpURLConnection open(String method) throws IOException {
        long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        HttpURLConnection connection = (HttpURLConnection) endpoint.toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setInstanceFollowRedirects(false);
        connection.setConnectTimeout((int) Math.min(remainingMillis, 1_000));
        connection.setReadTimeout((int) remainingMillis);
        connection.setRequestProperty("Authorization", "Bearer " + token);
        connection.setRequestProperty("Accept", "application/json, text/event-stream");
        if (session != null) {
            connection.setRequestProperty("Mcp-Session-Id", session);
        }
        if (protocol != null) {
            connection.setRequestProperty("MCP-Protocol-Version", protocol);
        }
        return connection;
    }

    private static void send(HttpURLConnection connection, String body) throws IOException {
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** An answer other than the one expected: auth, an HTTP error (with the JSON-RPC message, if any). */
    private static Refused refusal(int status, HttpURLConnection connection) throws IOException {
        String message = "";
        try (InputStream err = connection.getErrorStream()) {
            if (err != null) {
                JsonNode body = parse(readCapped(err));
                message = body.path("error")
                        .path("message")
                        .asString(body.path("detail").asString(""));
            }
        } catch (Refused unreadable) {
            // the status says enough
        }
        String kind = status == 401 || status == 403 ? "auth" : "http";
        return new Refused(kind, "HTTP " + status + (message.isBlank() ? "" : ": " + message));
    }

    private static void drain(HttpURLConnection connection, int status) throws IOException {
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            if (in != null) {
                in.readNBytes(MAX_ANSWER_BYTES);
            }
        }
    }

    private static String readCapped(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
        if (bytes.length > MAX_ANSWER_BYTES) {
            throw new Refused("protocol", "the answer is larger than " + MAX_ANSWER_BYTES + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String text) throws Refused {
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            throw new Refused("protocol", "the answer is not JSON");
        }
    }
}
