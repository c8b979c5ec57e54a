package com.employable.flotilla.registry.gateway;

import com.employable.flotilla.registry.system.ProblemException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied request, from the first attempt to the last byte streamed back: wakes a sleeping team server first
 * ({@link WakeUp}), sends the request, retries it as far as {@link ResendPolicy} allows, keeps the session on its
 * machine, and relays the answer.
 */
final class ProxyExchange {

    /** What every exchange shares. {@code sessions} may be null where no session is ever opened (tests). */
    record Services(
            HttpClient http,
            Executor executor,
            SessionAffinity sessions,
            GatewayProperties properties,
            GatewayMetrics metrics) {}

    private static final Logger log = LoggerFactory.getLogger(ProxyExchange.class);

    private final Services services;

    private final UpstreamRequest request;

    private final Route route;

    private final Map<String, String> extraResponseHeaders;

    private final HttpServletResponse response;

    private final ExchangeEnd end;

    private volatile byte[] body;

    private volatile long wakeDeadlineNanos;

    private int attempts;

    ProxyExchange(
            Services services,
            UpstreamRequest request,
            Route route,
            Map<String, String> extraResponseHeaders,
            HttpServletResponse response,
            ExchangeEnd end) {
        this.services = services;
        this.request = request;
        this.route = route;
        this.extraResponseHeaders = extraResponseHeaders;
        this.response = response;
        this.end = end;
    }

    /**
     * Sends the request, now that its whole body is here; the wake timeout counts from now. A server the registry
     * believes asleep is woken first ({@link WakeUp}), and the request goes out only once it answers.
     */
    void start(byte[] requestBody) {
        this.body = requestBody;
        this.wakeDeadlineNanos =
                System.nanoTime() + services.properties().wakeTimeout().toNanos();
        if (route.wakeExpected()) {
            new WakeUp(services, route, end, wakeDeadlineNanos, this::send).start();
        } else {
            send();
        }
    }

    /** Ends the exchange with the gateway's own answer (before anything was relayed). */
    void fail(ProblemException problem, String outcome) {
        end.answer(problem, outcome);
    }

    private void send() {
        if (end.finished()) {
            return;
        }
        attempts++;
        // the server is awake (or woken): however long it then takes, the request is not abandoned for a 503 that
        // could overtake it, only bounded by the response timeout like any other
        var inFlight = services.http()
                .sendAsync(
                        request.attempt(body, services.properties().responseTimeout()),
                        HttpResponse.BodyHandlers.ofPublisher());
        end.sending(inFlight);
        inFlight.whenComplete(this::answered);
    }

    private void answered(HttpResponse<Flow.Publisher<List<ByteBuffer>>> upstream, Throwable error) {
        try {
            if (end.finished()) {
                if (upstream != null) {
                    ResponseRelay.discard(upstream);
                }
                return;
            }
            if (error != null) {
                failed(ResendPolicy.unwrap(error));
                return;
            }
            int status = upstream.statusCode();
            if (ResendPolicy.upstreamFailed(status)) {
                ResponseRelay.discard(upstream);
                if (ResendPolicy.mayResendAfterAnswer(request.method())) {
                    retryOrGiveUp("the team server answered " + status);
                } else {
                    // Fly Proxy also answers 502 when a machine dies mid-request: the call may have run
                    end.answer(
                            ProxyProblems.notResent(
                                    status, services.properties().retryAfter()),
                            "not-resent-" + status);
                }
                return;
            }
            if (status == 401 || status == 403) {
                ResponseRelay.discard(upstream);
                log.error(
                        "team {}'s server refused the gateway's token ({}): its FLOTILLA_TEAM_TOKEN_KEY does not "
                                + "match this gateway key",
                        route.teamId(),
                        status);
                end.answer(ProxyProblems.credentialsRejected(), "credentials-rejected");
                return;
            }
            trackSession(upstream);
            ResponseRelay.relay(upstream, response, extraResponseHeaders, end, route.teamId());
        } catch (RuntimeException | IOException unexpected) {
            log.error("gateway failed relaying team {}'s answer", route.teamId(), unexpected);
            end.answer(ProxyProblems.notRelayed(), "relay-error");
        }
    }

    private void failed(Throwable cause) {
        if (ResendPolicy.neverReachedServer(cause)) {
            retryOrGiveUp("connection failed: " + cause.getClass().getSimpleName());
        } else if (cause instanceof HttpTimeoutException) {
            end.answer(ProxyProblems.timedOut(services.properties().responseTimeout()), "timeout");
        } else {
            log.warn("request to team {}'s server failed: {}", route.teamId(), cause.toString());
            end.answer(ProxyProblems.unreachable(), "upstream-error");
        }
    }

    private void retryOrGiveUp(String why) {
        long remaining = remainingNanos();
        if (remaining <= 0) {
            log.info(
                    "team {}'s server did not wake within {} ({}; {} attempts)",
                    route.teamId(),
                    services.properties().wakeTimeout(),
                    why,
                    attempts);
            end.answer(wakeTimedOut(), "wake-timeout");
            return;
        }
        services.metrics().wakeRetry();
        CompletableFuture.delayedExecutor(
                        ResendPolicy.backoffNanos(attempts, remaining), TimeUnit.NANOSECONDS, services.executor())
                .execute(this::send);
    }

    private ProblemException wakeTimedOut() {
        return ProxyProblems.wakeTimedOut(
                services.properties().wakeTimeout(), services.properties().retryAfter());
    }

    private void trackSession(HttpResponse<?> upstream) {
        var created = upstream.headers().firstValue(McpProxy.SESSION_HEADER);
        if (route.opensSession() && created.isPresent() && upstream.statusCode() < 300) {
            // stored before the client can see the id, so its next request already finds the machine
            services.sessions().remember(route.teamId(), created.get(), route.machineId());
        }
        boolean ended =
                upstream.statusCode() == 404 || ("DELETE".equals(request.method()) && upstream.statusCode() < 300);
        if (route.sessionId() != null && ended) {
            services.sessions().forget(route.teamId(), route.sessionId());
        }
    }

    private long remainingNanos() {
        return wakeDeadlineNanos - System.nanoTime();
    }
}
