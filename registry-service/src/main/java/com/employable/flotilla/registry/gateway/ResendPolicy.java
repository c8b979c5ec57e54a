package com.employable.flotilla.registry.gateway;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * When a request may be sent to a team server again. A request that may have reached the server is never re-sent
 * unless sending it twice has the effect of sending it once, so a tool call never runs twice: Fly Proxy answers 502
 * when a machine dies mid-request, after the server may have run the call. Only a failed connection proves that
 * not one byte was written, so only that is retried whatever the method.
 */
final class ResendPolicy {

    private static final Duration FIRST_RETRY = Duration.ofMillis(100);

    private static final Duration LONGEST_RETRY = Duration.ofSeconds(1);

    /** RFC 9110 idempotent methods: sending one twice has the effect of sending it once. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

    private ResendPolicy() {}

    /** The answers that say the server, or the proxy in front of it, failed (it may be waking, or have died). */
    static boolean upstreamFailed(int status) {
        return status == 502 || status == 503 || status == 504;
    }

    /** Whether a request that got an {@link #upstreamFailed upstream failure} may be sent again. */
    static boolean mayResendAfterAnswer(String method) {
        return IDEMPOTENT.contains(method);
    }

    /** Whether the failure proves the request never reached the server: the connection was never made. */
    static boolean neverReachedServer(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** How long to wait before attempt {@code attempts + 1}: doubling from 100 ms, at most 1 s, never past the end. */
    static long backoffNanos(int attempts, long remainingNanos) {
        long backoff = Math.min(FIRST_RETRY.toNanos() << Math.min(attempts - 1, 10), LONGEST_RETRY.toNanos());
        return Math.min(backoff, remainingNanos);
    }

    /** The failure behind the HTTP client's completion wrappers. */
    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
