package com.employable.flotilla.registry.gateway;

import com.employable.flotilla.registry.system.ProblemException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied request, from the first attempt to the last byte streamed back: wakes a sleeping team server first
 * ({@link WakeUp}), sends the request, retries it as far as {@link ResendPolicy} allows, keeps the session on its
 * machine, and relays the answer. Each attempt runs on a thread of {@link Services#calls} from the call to the last
 * byte relayed; the response timeout bounds the wait for the answer's head only.
 */
final class ProxyExchange {

    /** What every exchange shares. {@code sessions} may be null where no session is ever opened (tests). */
    record Services(
            OkHttpClient http,
            Executor calls,
            ScheduledExecutorService deadlines,
            SessionAffinity sessions,
            GatewayProperties properties,
            GatewayMetrics metrics) {}

    private static final Logger log = LoggerFactory.getLogger(ProxyExchange.class);

    /** Where an attempt's wait for its answer's head stands (the response timeout cancels only a waiting one). */
    private static final int WAITING = 0;

    private static final int ANSWERED = 1;

    private static final int TIMED_OUT = 2;

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
        Request attempt = request.attempt(body);
        Call call = services.http().newCall(attempt);
        end.sending(call);
        services.calls().execute(() -> call(call, attempt.tag(UpstreamClient.Attempt.class)));
    }

    /** The blocking call, on its own thread; the answer is relayed on it too. */
    private void call(Call call, UpstreamClient.Attempt attempt) {
        // the server is awake (or woken): however long it then takes, the request is not abandoned for a 503 that
        // could overtake it, only bounded by the response timeout like any other
        var head = new AtomicInteger(WAITING);
        ScheduledFuture<?> timeout = services.deadlines()
                .schedule(
                        () -> {
                            if (head.compareAndSet(WAITING, TIMED_OUT)) {
                                call.cancel();
                            }
                        },
                        services.properties().responseTimeout().toNanos(),
                        TimeUnit.NANOSECONDS);
        Response upstream;
        try {
            upstream = call.execute();
        } catch (IOException | RuntimeException error) {
            timeout.cancel(false);
            failed(head.get() == TIMED_OUT ? null : error, attempt.sent());
            return;
        }
        timeout.cancel(false);
        if (!head.compareAndSet(WAITING, ANSWERED)) {
            upstream.close();
            failed(null, true);
            return;
        }
        answered(upstream);
    }

    private void answered(Response upstream) {
        try {
            if (end.finished()) {
                upstream.close();
                return;
            }
            int status = upstream.code();
            if (ResendPolicy.upstreamFailed(status)) {
                upstream.close();
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
                upstream.close();
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
            upstream.close();
            log.error("gateway failed relaying team {}'s answer", route.teamId(), unexpected);
            end.answer(ProxyProblems.notRelayed(), "relay-error");
        }
    }

    /**
     * @param cause null when the answer did not start within the response timeout
     * @param sent whether any of the request was written: until then a failure proves the server saw nothing
     */
    private void failed(Throwable cause, boolean sent) {
        if (end.finished()) {
            return;
        }
        if (cause == null) {
            end.answer(ProxyProblems.timedOut(services.properties().responseTimeout()), "timeout");
        } else if (!sent || ResendPolicy.neverReachedServer(cause)) {
            retryOrGiveUp("connection failed: " + cause.getClass().getSimpleName());
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
        services.deadlines().schedule(this::send, ResendPolicy.backoffNanos(attempts, remaining), TimeUnit.NANOSECONDS);
    }

    private ProblemException wakeTimedOut() {
        return ProxyProblems.wakeTimedOut(
                services.properties().wakeTimeout(), services.properties().retryAfter());
    }

    private void trackSession(Response upstream) {
        String created = upstream.header(McpProxy.SESSION_HEADER);
        if (route.opensSession() && created != null && upstream.code() < 300) {
            // stored before the client can see the id, so its next request already finds the machine
            services.sessions().remember(route.teamId(), created, route.machineId());
        }
        boolean ended = upstream.code() == 404 || ("DELETE".equals(request.method()) && upstream.code() < 300);
        if (route.sessionId() != null && ended) {
            services.sessions().forget(route.teamId(), route.sessionId());
        }
    }

    private long remainingNanos() {
        return wakeDeadlineNanos - System.nanoTime();
    }
}
