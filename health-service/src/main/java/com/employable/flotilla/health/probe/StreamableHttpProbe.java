package com.employable.flotilla.health.probe;

import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.common.events.health.ProbeFailure;
import com.employable.flotilla.health.targets.ProbeTarget;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fleet-scale probe: the same MCP conversation as {@link McpProbe} ({@code initialize}, then
 * {@code notifications/initialized}, then {@code tools/list} or {@code ping}, then {@code DELETE} of the session)
 * spoken directly as Streamable HTTP with OkHttp, each step bounded by its own call timeout. No per-probe SDK client,
 * reactor pipeline or schema validation: measured on loopback, a probe costs about 0.7 ms of CPU with OkHttp against
 * about 2 ms with the JDK client and 9 ms with the SDK client, which is what lets one 2-core instance keep 10,000
 * targets on a 15 s schedule.
 *
 * <p>Calls block a thread of a bounded pool ({@link ProbeProperties#probeThreads()}): a healthy server holds one for
 * a few milliseconds, a hung one for at most the step timeout. Answers may be {@code application/json} or a
 * {@code text/event-stream} carrying the response as an event; the stream is read only until the response with the
 * request's id arrives. Each answer is capped at {@link ProbeProperties#maxResponseBytes()}; redirects are never
 * followed and nothing is retried.
 */
public class StreamableHttpProbe implements Prober {

    static final String PROTOCOL_VERSION = "2025-11-25";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final OkHttpClient http;

    private final ExecutorService threads;

    private final ProbeTokens tokens;

    private final ProbeProperties properties;

    private final Clock clock;

    public StreamableHttpProbe(
            OkHttpClient http, ExecutorService threads, ProbeTokens tokens, ProbeProperties properties, Clock clock) {
        this.http = http;
        this.threads = threads;
        this.tokens = tokens;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The client all probes share: the probe connect timeout, no redirects, no retries, and idle connections kept
     * only briefly (a probe's four calls reuse one; the next probe of that server is an interval away).
     */
    public static OkHttpClient sharedClient(ProbeProperties properties) {
        return new OkHttpClient.Builder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(properties.probeThreads(), 5, TimeUnit.SECONDS))
                .build();
    }

    @Override
    public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
        try {
            return CompletableFuture.supplyAsync(() -> new Conversation(target).run(), threads);
        } catch (RejectedExecutionException shuttingDown) {
            return CompletableFuture.completedFuture(ProbeResult.failure(
                    clock.instant(),
                    0,
                    new ProbeFailure(FailureKind.TIMEOUT, "probe not started: the prober is shutting down")));
        }
    }

    /** One probe: which step it is at, the session, and what the server said. */
    private final class Conversation {

        private final ProbeTarget target;
        private final Instant checkedAt = clock.instant();
        private final long started = System.nanoTime();
        private String step = "initialize";
        private Duration stepTimeout = properties.initializeTimeout();
        private int unexpectedStatus;
        private String sessionId;
        private String protocolVersion;

        Conversation(ProbeTarget target) {
            this.target = target;
        }

        ProbeResult run() {
            String token = tokens.tokenFor(target.teamId());
            Request.Builder base;
            try {
                base = new Request.Builder()
                        .url(target.endpoint().toString())
                        .header("Authorization", "Bearer " + token);
                if (target.throughProxy()) {
                    base.header(McpProbe.FORCE_INSTANCE_HEADER, target.machineId());
                }
            } catch (RuntimeException unusable) {
                return ProbeResult.failure(
                        checkedAt,
                        0,
                        FailureClassifier.safe(
                                new ProbeFailure(
                                        FailureKind.PROTOCOL,
                                        "endpoint unusable: " + FailureClassifier.untrusted(unusable.getMessage())),
                                token));
            }
            ProbeResult result;
            try {
                JsonNode capabilities = initialize(base);
                notifyInitialized(base);
                result = secondRequest(base, capabilities);
            } catch (IOException | RuntimeException failure) {
                result = ProbeResult.failure(
                        checkedAt,
                        elapsedMs(),
                        FailureClassifier.classify(
                                step,
                                comparable(failure),
                                unexpectedStatus,
                                stepTimeout,
                                properties.connectTimeout(),
                                token));
            }
            close(base);
            return result;
        }

        private JsonNode initialize(Request.Builder base) throws IOException {
            ObjectNode params = JSON.createObjectNode();
            params.put("protocolVersion", PROTOCOL_VERSION);
            params.putObject("capabilities");
            params.putObject("clientInfo")
                    .put("name", McpProbe.CLIENT_INFO.name())
                    .put("version", McpProbe.CLIENT_INFO.version());
            JsonNode result = JsonRpc.result(exchange(base, JsonRpc.request(1, "initialize", params), 1));
            protocolVersion = JsonRpc.text(result, "protocolVersion")
                    .orElseThrow(() -> new JsonRpc.ProtocolViolation("initialize result without protocolVersion"));
            return result.path("capabilities");
        }

        private void notifyInitialized(Request.Builder base) throws IOException {
            ObjectNode notification = JSON.createObjectNode();
            notification.put("jsonrpc", "2.0");
            notification.put("method", "notifications/initialized");
            try (Response response = call(post(base, notification), properties.initializeTimeout())) {
                requireSuccess(response.code());
            }
        }

        private ProbeResult secondRequest(Request.Builder base, JsonNode capabilities) throws IOException {
            boolean listTools = properties.method() == ProbeProperties.Method.TOOLS_LIST && capabilities.has("tools");
            step = listTools ? "tools/list" : "ping";
            stepTimeout = properties.requestTimeout();
            JsonNode result = JsonRpc.result(exchange(base, JsonRpc.request(2, step, JSON.createObjectNode()), 2));
            Integer tools = null;
            if (listTools) {
                JsonNode list = result.path("tools");
                if (!list.isArray()) {
                    throw new JsonRpc.ProtocolViolation("tools/list result without a tools array");
                }
                tools = list.size();
            }
            return ProbeResult.success(checkedAt, elapsedMs(), protocolVersion, tools);
        }

        /** The session is closed whatever happened; a slow or failing close never changes the verdict. */
        private void close(Request.Builder base) {
            if (sessionId == null) {
                return;
            }
            try (Response ignored = call(session(base).delete().build(), properties.closeTimeout())) {
                // the answer does not matter
            } catch (IOException closeFailed) {
                // the server forgets the session on its own
            }
        }

        private JsonNode exchange(Request.Builder base, ObjectNode request, int id) throws IOException {
            try (Response response = call(post(base, request), stepTimeout)) {
                requireSuccess(response.code());
                if (id == 1) {
                    sessionId = response.header("Mcp-Session-Id");
                }
                String type = response.header("Content-Type", "").toLowerCase(Locale.ROOT);
                BufferedSource body = response.body().source();
                return type.startsWith("text/event-stream") ? fromEventStream(body, id) : fromJson(body, id);
            }
        }

        private Response call(Request request, Duration timeout) throws IOException {
            var call = http.newCall(request);
            // bounds the whole exchange, body included, and closes the connection when it fires
            call.timeout().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return call.execute();
        }

        private Request post(Request.Builder base, ObjectNode message) {
            return session(base)
                    .header("Accept", "application/json, text/event-stream")
                    .post(RequestBody.create(JSON.writeValueAsBytes(message), JSON_TYPE))
                    .build();
        }

        private Request.Builder session(Request.Builder base) {
            Request.Builder builder = base.build().newBuilder();
            if (sessionId != null) {
                builder.header("Mcp-Session-Id", sessionId);
            }
            if (protocolVersion != null) {
                builder.header("MCP-Protocol-Version", protocolVersion);
            }
            return builder;
        }

        private void requireSuccess(int status) {
            if (status < 200 || status > 299) {
                unexpectedStatus = status;
                throw new JsonRpc.ProtocolViolation("HTTP " + status);
            }
        }

        private JsonNode fromJson(BufferedSource body, int id) throws IOException {
            long max = properties.maxResponseBytes();
            if (body.request(max + 1)) {
                throw oversized();
            }
            JsonNode message;
            try {
                message = JSON.readTree(body.readByteArray());
            } catch (RuntimeException notJson) {
                throw new JsonRpc.ProtocolViolation("the answer is not JSON");
            }
            if (!JsonRpc.isResponse(message, id)) {
                throw new JsonRpc.ProtocolViolation("no JSON-RPC response with id " + id);
            }
            return message;
        }

        /** Reads events until the response with {@code id}; a server may keep the stream open for more. */
        private JsonNode fromEventStream(BufferedSource body, int id) throws IOException {
            long read = 0;
            Buffer data = new Buffer();
            String line;
            while ((line = body.readUtf8Line()) != null) {
                read += line.length() + 1;
                if (read > properties.maxResponseBytes()) {
                    throw oversized();
                }
                if (line.startsWith("data:")) {
                    data.writeUtf8(line.substring(line.startsWith("data: ") ? 6 : 5))
                            .writeByte('\n');
                } else if (line.isEmpty() && data.size() > 0) {
                    JsonNode message;
                    try {
                        message = JSON.readTree(data.readByteArray());
                    } catch (RuntimeException notJson) {
                        throw new JsonRpc.ProtocolViolation("an event of the stream is not JSON");
                    }
                    if (JsonRpc.isResponse(message, id)) {
                        return message;
                    }
                }
            }
            throw new JsonRpc.ProtocolViolation("the event stream ended without a JSON-RPC response with id " + id);
        }

        private JsonRpc.ProtocolViolation oversized() {
            return new JsonRpc.ProtocolViolation(
                    "the response exceeds the maximum allowed size of " + properties.maxResponseBytes() + " bytes");
        }

        private long elapsedMs() {
            return (System.nanoTime() - started) / 1_000_000;
        }
    }

    /**
     * OkHttp reports both kinds of timeout as {@link SocketTimeoutException} or {@link InterruptedIOException}; the
     * classifier speaks the JDK's types, so translate: a connect timeout stays a connect failure, any other timeout
     * is the step's.
     */
    private static Throwable comparable(Throwable failure) {
        if (failure instanceof SocketTimeoutException timeout
                && timeout.getMessage() != null
                && timeout.getMessage().toLowerCase(Locale.ROOT).contains("connect")) {
            return new HttpConnectTimeoutException(timeout.getMessage());
        }
        if (failure instanceof InterruptedIOException) {
            return new TimeoutException(failure.getMessage());
        }
        return failure;
    }
}
