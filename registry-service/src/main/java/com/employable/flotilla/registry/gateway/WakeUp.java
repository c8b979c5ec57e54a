package com.employable.flotilla.registry.gateway;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes a sleeping team server before the agent's request goes anywhere. A cheap {@code GET} of the server's
 * unauthenticated health path ({@link Route#wakeUri}, derived from the validated app) through the team's proxy, which
 * starts or resumes the machine it is pinned to (Fly Proxy's autostart, or local-fly's) and answers once the server
 * does. It is repeated while the proxy says the machine is not there yet (refused connection, 502/503/504), until the
 * wake deadline. Only once the server has answered is the agent's request sent, once; if it does not answer in time
 * the agent gets 503 with {@code Retry-After}, and its request was never handed to anyone, so it cannot arrive late.
 */
final class WakeUp {

    private static final Logger log = LoggerFactory.getLogger(WakeUp.class);

    private final ProxyExchange.Services services;

    private final Route route;

    private final ExchangeEnd end;

    private final long deadlineNanos;

    private final Runnable onAwake;

    private final long startedNanos = System.nanoTime();

    private int attempts;

    WakeUp(ProxyExchange.Services services, Route route, ExchangeEnd end, long deadlineNanos, Runnable onAwake) {
        this.services = services;
        this.route = route;
        this.end = end;
        this.deadlineNanos = deadlineNanos;
        this.onAwake = onAwake;
    }

    void start() {
        attempt();
    }

    private void attempt() {
        if (end.finished()) {
            services.metrics().wake("client-gone", System.nanoTime() - startedNanos);
            return;
        }
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            giveUp("deadline reached");
            return;
        }
        attempts++;
        var request = new Request.Builder()
                .url(HttpUrl.get(route.wakeUri()))
                .header("Accept", "application/json")
                .get();
        if (route.machineId() != null) {
            // the machine the agent's request will go to: that is the one to start or resume
            request.header(services.properties().instanceHeader(), route.machineId());
        }
        Call call = services.http().newCall(request.build());
        // the whole call, the answer's discarded body included, never outlasts the wake deadline
        call.timeout().timeout(remaining, TimeUnit.NANOSECONDS);
        end.sending(call);
        services.calls().execute(() -> {
            try (Response answer = call.execute()) {
                answered(answer.code(), null);
            } catch (IOException | RuntimeException error) {
                answered(0, error);
            }
        });
    }

    /** @param status the proxy's or the server's answer, or 0 with {@code error} when there was none */
    private void answered(int status, Throwable error) {
        try {
            if (end.finished()) {
                services.metrics().wake("client-gone", System.nanoTime() - startedNanos);
                return;
            }
            if (error == null && !ResendPolicy.upstreamFailed(status)) {
                // any answer of the server itself means it is up (even one that is not 200: it answered)
                services.metrics().wake("awake", System.nanoTime() - startedNanos);
                onAwake.run();
                return;
            }
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                // the call's own timeout ends at the deadline too: no answer in time
                giveUp(error == null ? "the proxy answered " + status : error.toString());
                return;
            }
            services.metrics().wakeRetry();
            services.deadlines()
                    .schedule(this::attempt, ResendPolicy.backoffNanos(attempts, remaining), TimeUnit.NANOSECONDS);
        } catch (RuntimeException unexpected) {
            log.error("waking team {}'s server failed", route.teamId(), unexpected);
            end.answer(ProxyProblems.notRelayed(), "wake-error");
        }
    }

    private void giveUp(String why) {
        log.info(
                "team {}'s server did not wake within {} ({}; {} wake attempts); the agent's request was not sent",
                route.teamId(),
                services.properties().wakeTimeout(),
                why,
                attempts);
        services.metrics().wake("timeout", System.nanoTime() - startedNanos);
        end.answer(
                ProxyProblems.wakeTimedOut(
                        services.properties().wakeTimeout(),
                        services.properties().retryAfter()),
                "wake-timeout");
    }
}
