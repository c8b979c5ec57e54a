package com.employable.flotilla.provisioner.fly;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every HTTP exchange with the Fly Machines API goes through here: auth, JSON, Fly's error bodies, client-side rate
 * limits matching Fly's documented ones (token buckets per action and per app or machine id, {@link FlyRateLimits}),
 * retries with exponential backoff and jitter (idempotent calls on 429, 5xx, 408 and I/O; others on 429 only: a
 * request Fly's limiter refused was not processed), a circuit breaker per API area, metrics and
 * the audit trail. Order: retry outermost, then breaker, then limiter, so each attempt waits for its own permit.
 * Thread-safe: a reconcile makes independent calls concurrently.
 */
public class FlyTransport {

    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private final FlyProperties properties;
    private final OkHttpClient http;
    private final FlyRateLimits limits;
    private final CircuitBreakerRegistry breakers;
    private final RetryConfig retryConfig;
    private final RetryConfig rejectedRetryConfig;
    private final MeterRegistry meters;
    private final FlyCallListener listener;

    public FlyTransport(FlyProperties properties, MeterRegistry meters, FlyCallListener listener) {
        this(properties, meters, listener, new FlyRateLimits(properties));
    }

    public FlyTransport(
            FlyProperties properties, MeterRegistry meters, FlyCallListener listener, FlyRateLimits limits) {
        this.properties = properties;
        this.limits = limits;
        this.meters = meters;
        this.listener = listener;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(properties.connectTimeout())
                .callTimeout(properties.callTimeout().plusSeconds(65)) // a wait call may legitimately last 60 s
                .readTimeout(properties.callTimeout().plusSeconds(65))
                .followRedirects(false)
                .retryOnConnectionFailure(false)
                .build();
        Gauge.builder("flotilla.fly.rate-limiters", limits, FlyRateLimits::buckets)
                .description("token buckets held for apps and machines (idle ones are forgotten)")
                .register(meters);
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowSize(50)
                .minimumNumberOfCalls(20)
                .failureRateThreshold(80)
                .waitDurationInOpenState(Duration.ofSeconds(5))
                .permittedNumberOfCallsInHalfOpenState(5)
                // 4xx are answers, not an unhealthy API: only server errors and I/O open the breaker
                .recordException(e -> e instanceof FlyApiException fly
                        && fly.status() != 429
                        && (fly.status() == FlyApiException.IO_ERROR || fly.status() >= 500))
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        this.retryConfig = retries(e -> e instanceof FlyApiException fly && fly.retryable());
        // a 429 is Fly's limiter answering before the request is processed: even a create is safe to send again
        this.rejectedRetryConfig = retries(e -> e instanceof FlyApiException fly && fly.status() == 429);
    }

    private RetryConfig retries(java.util.function.Predicate<Throwable> when) {
        return RetryConfig.custom()
                .maxAttempts(properties.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                        properties.retryBase(), 2.0, 0.5, Duration.ofSeconds(10)))
                .retryOnException(when)
                .build();
    }

    public FlyProperties properties() {
        return properties;
    }

    /** One API call. {@code idempotent} calls are retried; others surface their first failure to the caller. */
    public <T> T call(FlyCall<T> call) {
        Supplier<T> attempt = () -> {
            if (!limits.acquire(call.limitClass(), call.endpoint(), call.rateKey())) {
                throw new FlyApiException(call.endpoint(), 429, null, "client-side rate limit wait exceeded", null);
            }
            return execute(call);
        };
        CircuitBreaker breaker = breakers.circuitBreaker(call.area());
        Supplier<T> guarded = CircuitBreaker.decorateSupplier(breaker, attempt);
        Supplier<T> translated = () -> {
            try {
                return guarded.get();
            } catch (CallNotPermittedException open) {
                throw new FlyApiException(
                        call.endpoint(),
                        FlyApiException.IO_ERROR,
                        null,
                        "circuit breaker for " + call.area() + " is open",
                        null);
            }
        };
        Retry retry = Retry.of(call.endpoint(), call.idempotent() ? retryConfig : rejectedRetryConfig);
        retry.getEventPublisher()
                .onRetry(event -> Counter.builder("flotilla.fly.retries")
                        .tag("endpoint", call.endpoint())
                        .register(meters)
                        .increment());
        return Retry.decorateSupplier(retry, translated).get();
    }

    private <T> T execute(FlyCall<T> call) {
        HttpUrl url = HttpUrl.get(properties.apiUrl().toString())
                .newBuilder()
                .addPathSegments(call.path().substring(1))
                .build();
        HttpUrl.Builder withQuery = url.newBuilder();
        call.query().forEach(withQuery::addQueryParameter);
        var request = new Request.Builder()
                .url(withQuery.build())
                .header("Authorization", "Bearer " + properties.token())
                .header("Accept", "application/json");
        call.headers().forEach(request::header);
        RequestBody body =
                call.body() == null ? null : RequestBody.create(JSON.writeValueAsBytes(call.body()), JSON_TYPE);
        if (body == null && !"GET".equals(call.method()) && !"DELETE".equals(call.method())) {
            body = RequestBody.create(new byte[0], JSON_TYPE);
        }
        request.method(call.method(), body);

        long started = System.nanoTime();
        int status = FlyApiException.IO_ERROR;
        String error = null;
        try (Response response = http.newCall(request.build()).execute()) {
            status = response.code();
            byte[] payload = response.body().bytes();
            if (response.isSuccessful()) {
                return call.parse(payload.length == 0 ? null : JSON.readTree(payload));
            }
            ErrorBody parsed = ErrorBody.parse(payload);
            error = parsed.error();
            throw new FlyApiException(call.endpoint(), status, parsed.status(), parsed.error(), null);
        } catch (IOException e) {
            error = e.getClass().getSimpleName();
            throw new FlyApiException(
                    call.endpoint(),
                    FlyApiException.IO_ERROR,
                    null,
                    e.getClass().getSimpleName(),
                    e);
        } catch (JacksonException e) {
            error = "unparsable response";
            throw new FlyApiException(call.endpoint(), status, null, "unparsable response from Fly", e);
        } finally {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Timer.builder("flotilla.fly.calls")
                    .description("Fly Machines API calls")
                    .tag("endpoint", call.endpoint())
                    .tag("method", call.method())
                    .tag("status", statusClass(status))
                    .register(meters)
                    .record(took.toNanos(), TimeUnit.NANOSECONDS);
            listener.called(call.endpoint(), call.method(), call.path(), status, took, error);
        }
    }

    private static String statusClass(int status) {
        return status == FlyApiException.IO_ERROR ? "io_error" : (status / 100) + "xx";
    }

    private record ErrorBody(String error, String status) {
        static ErrorBody parse(byte[] payload) {
            try {
                JsonNode node = JSON.readTree(payload);
                String error =
                        node.path("error").isString() ? node.path("error").asString() : null;
                String status =
                        node.path("status").isString() ? node.path("status").asString() : null;
                if (error != null) {
                    return new ErrorBody(truncate(error), status);
                }
            } catch (JacksonException notJson) {
                // fall through: some proxies answer with text
            }
            return new ErrorBody(truncate(new String(payload, java.nio.charset.StandardCharsets.UTF_8)), null);
        }

        private static String truncate(String text) {
            String oneLine = text.replaceAll("\\s+", " ").trim();
            return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
        }
    }
}
