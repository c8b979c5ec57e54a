package com.employable.flotilla.health.probe;

import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.common.events.health.ProbeFailure;
import com.employable.flotilla.health.targets.ProbeTarget;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;

/**
 * One MCP probe with the official SDK's async client over Streamable HTTP: {@code initialize} (with
 * {@code notifications/initialized}), then {@code tools/list} or {@code ping}, each under its own timeout, then the
 * session is closed ({@code DELETE}). Every probe gets a fresh client and session, so what is proven is what an agent
 * connecting now would get; all probes share one JDK {@link HttpClient} (one selector thread, one connection pool, a
 * small executor), which is what lets one instance probe thousands of servers.
 */
public class McpProbe implements Prober {

    /** Fly Proxy routes a request carrying this header to that machine (local-fly's proxy honours it too). */
    public static final String FORCE_INSTANCE_HEADER = "fly-force-instance-id";

    static final McpSchema.Implementation CLIENT_INFO = new McpSchema.Implementation("flotilla-health-probe", "1");

    private final HttpClient sharedHttp;

    private final ProbeTokens tokens;

    private final ProbeProperties properties;

    private final McpJsonMapper jsonMapper;

    private final JsonSchemaValidator schemaValidator;

    private final Clock clock;

    public McpProbe(
            HttpClient sharedHttp,
            ProbeTokens tokens,
            ProbeProperties properties,
            McpJsonMapper jsonMapper,
            JsonSchemaValidator schemaValidator,
            Clock clock) {
        this.sharedHttp = sharedHttp;
        this.tokens = tokens;
        this.properties = properties;
        this.jsonMapper = jsonMapper;
        this.schemaValidator = schemaValidator;
        this.clock = clock;
    }

    /** A probe with the SDK's default JSON mapping and schema validator. */
    public static McpProbe create(HttpClient sharedHttp, ProbeTokens tokens, ProbeProperties properties, Clock clock) {
        return new McpProbe(
                sharedHttp,
                tokens,
                properties,
                McpJsonDefaults.getMapper(),
                McpJsonDefaults.getSchemaValidator(),
                clock);
    }

    /**
     * The one HTTP client all probes share: HTTP/1.1 (what the SDK's transport uses by default), redirects never
     * followed (a probe goes only where the registry said), the probe connect timeout, and a small fixed executor
     * instead of the JDK default's unbounded thread pool.
     */
    public static HttpClient sharedHttpClient(ProbeProperties properties, Executor executor) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.connectTimeout())
                .executor(executor)
                .build();
    }

    @Override
    public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
        Instant checkedAt = clock.instant();
        long started = System.nanoTime();
        RecordingHttpClient http = new RecordingHttpClient(sharedHttp);
        String token = tokens.tokenFor(target.teamId());
        McpAsyncClient client;
        try {
            client = client(target, token, http);
        } catch (RuntimeException unusable) {
            return CompletableFuture.completedFuture(ProbeResult.failure(
                    checkedAt,
                    0,
                    FailureClassifier.safe(
                            new ProbeFailure(
                                    FailureKind.PROTOCOL,
                                    "endpoint unusable: " + FailureClassifier.untrusted(unusable.getMessage())),
                            token)));
        }
        AtomicReference<String> step = new AtomicReference<>("initialize");
        AtomicReference<Duration> stepTimeout = new AtomicReference<>(properties.initializeTimeout());
        Mono<ProbeResult> verdict = client.initialize()
                .timeout(properties.initializeTimeout())
                .flatMap(initialized -> {
                    boolean listTools = properties.method() == ProbeProperties.Method.TOOLS_LIST
                            && initialized.capabilities() != null
                            && initialized.capabilities().tools() != null;
                    step.set(listTools ? "tools/list" : "ping");
                    stepTimeout.set(properties.requestTimeout());
                    Mono<Integer> second = listTools
                            ? client.listTools(McpSchema.FIRST_PAGE)
                                    .map(page -> page.tools() == null
                                            ? 0
                                            : page.tools().size())
                            : client.ping().then(Mono.empty());
                    return second.timeout(properties.requestTimeout())
                            .map(tools -> ProbeResult.success(
                                    checkedAt, elapsedMs(started), initialized.protocolVersion(), tools))
                            .switchIfEmpty(Mono.fromSupplier(() -> ProbeResult.success(
                                    checkedAt, elapsedMs(started), initialized.protocolVersion(), null)));
                })
                .onErrorResume(error -> Mono.just(ProbeResult.failure(
                        checkedAt,
                        elapsedMs(started),
                        FailureClassifier.classify(
                                step.get(),
                                error,
                                http.unexpectedStatus(),
                                stepTimeout.get(),
                                properties.connectTimeout(),
                                token))));
        // the session is closed whatever happened; a slow or failing close never changes the verdict
        return verdict.flatMap(result -> client.closeGracefully()
                        .timeout(properties.closeTimeout())
                        .onErrorResume(closeFailed -> Mono.fromRunnable(client::close))
                        .thenReturn(result))
                .toFuture();
    }

    private McpAsyncClient client(ProbeTarget target, String token, RecordingHttpClient http) {
        URI endpoint = target.endpoint();
        String machineId = target.machineId();
        boolean throughProxy = target.throughProxy();
        Duration exchangeTimeout = properties.initializeTimeout().compareTo(properties.requestTimeout()) >= 0
                ? properties.initializeTimeout()
                : properties.requestTimeout();
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(origin(endpoint))
                .endpoint(pathAndQuery(endpoint))
                .clientBuilder(new RecordingHttpClient.Builder(http))
                .jsonMapper(jsonMapper)
                .resumableStreams(false)
                .openConnectionOnStartup(false)
                .maxResponseSize(properties.maxResponseBytes())
                .httpRequestCustomizer((request, method, uri, body, context) -> {
                    // the timeout is a second bound below the SDK's: the JDK gives up on an exchange with no headers
                    request.header("Authorization", "Bearer " + token).timeout(exchangeTimeout);
                    if (throughProxy) {
                        request.header(FORCE_INSTANCE_HEADER, machineId);
                    }
                })
                .build();
        // the SDK's own timeouts are a backstop behind the per-step ones applied in probe()
        Duration backstop = properties.verdictDeadline().plusSeconds(1);
        return McpClient.async(transport)
                .clientInfo(CLIENT_INFO)
                .requestTimeout(backstop)
                .initializationTimeout(backstop)
                .jsonSchemaValidator(schemaValidator)
                .build();
    }

    private static String origin(URI endpoint) {
        return endpoint.getScheme() + "://" + endpoint.getRawAuthority();
    }

    private static String pathAndQuery(URI endpoint) {
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        return endpoint.getRawQuery() == null ? path : path + "?" + endpoint.getRawQuery();
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
