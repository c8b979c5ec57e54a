package com.employable.flotilla.registry.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import com.employable.flotilla.registry.auth.Agent;
import com.employable.flotilla.registry.auth.TeamTokens;
import com.employable.flotilla.registry.system.ProblemException;
import com.employable.flotilla.registry.system.Problems;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Reverse-proxies one MCP request to a team server and streams the answer back as it arrives (an SSE stream is
 * relayed event by event, never buffered). The servlet request is put in async mode, so an idle stream holds no
 * thread: the JDK HttpClient delivers upstream bytes on its executor and each chunk is written and flushed at once.
 *
 * <p>A request that may have reached the team server is never sent again, so a tool call never runs twice: only a
 * failed connection (refused, or not established in time: not one byte was written) is retried, with back-off until
 * the wake timeout, then answered 503 with {@code Retry-After}. A 502/503/504 answer (Fly Proxy answers 502 when a
 * machine dies mid-request, after the server may have run the call) is retried only for idempotent methods; for any
 * other method it is answered as is, as a problem that says the request was not re-sent.
 */
final class McpProxy {

    static final String SESSION_HEADER = "Mcp-Session-Id";

    private static final Logger log = LoggerFactory.getLogger(McpProxy.class);

    /** Hop-by-hop headers, headers the JDK client sets itself, and what the gateway replaces or must not pass on. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authorization",
            "proxy-authenticate", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect", "http2-settings", "authorization", "cookie", "origin", "forwarded",
            "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port");

    private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "set-cookie");

    private static final Duration FIRST_RETRY = Duration.ofMillis(100);

    private static final Duration LONGEST_RETRY = Duration.ofSeconds(1);

    /** RFC 9110 idempotent methods: sending one twice has the effect of sending it once. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

    private final HttpClient http;

    private final Executor executor;

    private final TeamTokens tokens;

    private final SessionAffinity sessions;

    private final GatewayProperties properties;

    private final GatewayMetrics metrics;

    McpProxy(HttpClient http, Executor executor, TeamTokens tokens, SessionAffinity sessions,
            GatewayProperties properties, GatewayMetrics metrics) {
        this.http = http;
        this.executor = executor;
        this.tokens = tokens;
        this.sessions = sessions;
        this.properties = properties;
        this.metrics = metrics;
    }

    /**
     * Prepares the exchange of a request already in async mode; it is sent once {@link Exchange#start} has its body.
     * The exchange releases {@code permit} when it ends, however it ends.
     */
    Exchange open(HttpServletRequest request, HttpServletResponse response, AsyncContext async, Route route,
            Agent agent, Map<String, String> responseHeaders, TeamLimits.Permit permit) {
        var exchange = new Exchange(request.getMethod(), forwardedHeaders(request, route, agent), route,
                request.getRequestURI(), responseHeaders, response, async, permit, System.nanoTime());
        async.addListener(exchange);
        return exchange;
    }

    static boolean idempotent(String method) {
        return IDEMPOTENT.contains(method);
    }

    private List<String[]> forwardedHeaders(HttpServletRequest request, Route route, Agent agent) {
        List<String[]> headers = new ArrayList<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (NOT_FORWARDED.contains(lower) || lower.startsWith("fly-") || lower.startsWith(":")) {
                continue;
            }
            for (String value : Collections.list(request.getHeaders(name))) {
                headers.add(new String[] { name, value });
            }
        }
        // no token passthrough: the team server gets a token minted for it alone, never the agent's
        headers.add(new String[] { "Authorization", "Bearer " + tokens.mint(route.teamId(), agent.subject()) });
        String forwardedFor = request.getHeader("X-Forwarded-For");
        headers.add(new String[] { "X-Forwarded-For",
                forwardedFor == null ? request.getRemoteAddr() : forwardedFor + ", " + request.getRemoteAddr() });
        headers.add(new String[] { "X-Forwarded-Proto", request.getScheme() });
        if (request.getHeader("Host") != null) {
            headers.add(new String[] { "X-Forwarded-Host", request.getHeader("Host") });
        }
        if (route.machineId() != null) {
            headers.add(new String[] { properties.instanceHeader(), route.machineId() });
        }
        return headers;
    }

    /** One proxied request, from the first attempt to the last byte streamed back. */
    final class Exchange implements AsyncListener {

        private final String method;

        private final List<String[]> headers;

        private volatile byte[] body;

        private final Route route;

        private final String path;

        private final Map<String, String> extraResponseHeaders;

        private final HttpServletResponse response;

        private final long startedNanos;

        private final TeamLimits.Permit permit;

        private volatile long wakeDeadlineNanos;

        private final AtomicBoolean finished = new AtomicBoolean();

        private final AsyncContext async;

        private volatile CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> inFlight;

        private volatile Flow.Subscription subscription;

        private int attempts;

        Exchange(String method, List<String[]> headers, Route route, String path,
                Map<String, String> extraResponseHeaders, HttpServletResponse response, AsyncContext async,
                TeamLimits.Permit permit, long startedNanos) {
            this.method = method;
            this.headers = headers;
            this.route = route;
            this.path = path;
            this.extraResponseHeaders = extraResponseHeaders;
            this.response = response;
            this.async = async;
            this.permit = permit;
            this.startedNanos = startedNanos;
        }

        /** Sends the request, now that its whole body is here; the wake timeout counts from now. */
        void start(byte[] requestBody) {
            this.body = requestBody;
            this.wakeDeadlineNanos = System.nanoTime() + properties.wakeTimeout().toNanos();
            send();
        }

        /** Ends the exchange with the gateway's own answer (before anything was relayed). */
        void fail(ProblemException problem, String outcome) {
            finish(problem, outcome);
        }

        private void send() {
            if (finished.get()) {
                return;
            }
            attempts++;
            Duration timeout = route.wakeExpected() ? Duration.ofNanos(Math.max(remainingNanos(), 1_000_000))
                    : properties.responseTimeout();
            var request = HttpRequest.newBuilder(route.upstream())
                .timeout(timeout)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(header -> request.header(header[0], header[1]));
            inFlight = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofPublisher());
            inFlight.whenComplete(this::answered);
        }

        private void answered(HttpResponse<Flow.Publisher<List<ByteBuffer>>> upstream, Throwable error) {
            try {
                if (finished.get()) {
                    if (upstream != null) {
                        discard(upstream);
                    }
                    return;
                }
                if (error != null) {
                    failed(unwrap(error));
                    return;
                }
                int status = upstream.statusCode();
                if (status == 502 || status == 503 || status == 504) {
                    discard(upstream);
                    if (idempotent(method)) {
                        retryOrGiveUp("the team server answered " + status);
                    }
                    else {
                        // Fly Proxy also answers 502 when a machine dies mid-request: the call may have run
                        finish(notResent(status), "not-resent-" + status);
                    }
                    return;
                }
                if (status == 401 || status == 403) {
                    discard(upstream);
                    log.error("team {}'s server refused the gateway's token ({}): its FLOTILLA_TEAM_TOKEN_KEY does not "
                            + "match this gateway key", route.teamId(), status);
                    finish(new ProblemException(HttpStatus.BAD_GATEWAY, "gateway-credentials-rejected",
                            "Team server refused the gateway", "the team's server did not accept the gateway's "
                                    + "credentials; operators have been told"), "credentials-rejected");
                    return;
                }
                trackSession(upstream);
                relay(upstream);
            }
            catch (RuntimeException | IOException unexpected) {
                log.error("gateway failed relaying team {}'s answer", route.teamId(), unexpected);
                finish(new ProblemException(HttpStatus.BAD_GATEWAY, "upstream-error", "Bad gateway",
                        "the team's server answer could not be relayed"), "relay-error");
            }
        }

        private void failed(Throwable cause) {
            if (isConnectFailure(cause)) {
                retryOrGiveUp("connection failed: " + cause.getClass().getSimpleName());
            }
            else if (cause instanceof HttpTimeoutException) {
                if (route.wakeExpected()) {
                    finish(wakeTimedOut(), "wake-timeout");
                }
                else {
                    finish(new ProblemException(HttpStatus.GATEWAY_TIMEOUT, "upstream-timeout", "Gateway timeout",
                            "the team's server did not answer within " + properties.responseTimeout().toSeconds()
                                    + " s"), "timeout");
                }
            }
            else {
                log.warn("request to team {}'s server failed: {}", route.teamId(), cause.toString());
                finish(new ProblemException(HttpStatus.BAD_GATEWAY, "upstream-error", "Bad gateway",
                        "the team's server could not be reached"), "upstream-error");
            }
        }

        private void retryOrGiveUp(String why) {
            long remaining = remainingNanos();
            if (remaining <= 0) {
                log.info("team {}'s server did not wake within {} ({}; {} attempts)", route.teamId(),
                        properties.wakeTimeout(), why, attempts);
                finish(wakeTimedOut(), "wake-timeout");
                return;
            }
            long backoff = Math.min(FIRST_RETRY.toNanos() << Math.min(attempts - 1, 10), LONGEST_RETRY.toNanos());
            metrics.wakeRetry();
            CompletableFuture.delayedExecutor(Math.min(backoff, remaining), TimeUnit.NANOSECONDS, executor)
                .execute(this::send);
        }

        private ProblemException notResent(int status) {
            var headers = new org.springframework.http.HttpHeaders();
            headers.set(org.springframework.http.HttpHeaders.RETRY_AFTER,
                    String.valueOf(Math.max(1, properties.retryAfter().toSeconds())));
            return new ProblemException(HttpStatus.valueOf(status), "upstream-failed-not-resent",
                    "Team server failed", "the team's server (or Fly's proxy in front of it) answered " + status
                            + " after the request may have reached it; the gateway did not send it again, as it "
                            + "may have run",
                    headers, Map.of());
        }

        private ProblemException wakeTimedOut() {
            return Problems.unavailable("server-waking", "Server not reachable yet",
                    "the team's server did not become reachable within " + properties.wakeTimeout().toSeconds()
                            + " s; it may still be starting",
                    properties.retryAfter());
        }

        private void trackSession(HttpResponse<?> upstream) {
            var created = upstream.headers().firstValue(SESSION_HEADER);
            if (route.opensSession() && created.isPresent() && upstream.statusCode() < 300) {
                // stored before the client can see the id, so its next request already finds the machine
                sessions.remember(route.teamId(), created.get(), route.machineId());
            }
            boolean ended = upstream.statusCode() == 404
                    || ("DELETE".equals(method) && upstream.statusCode() < 300);
            if (route.sessionId() != null && ended) {
                sessions.forget(route.teamId(), route.sessionId());
            }
        }

        private void relay(HttpResponse<Flow.Publisher<List<ByteBuffer>>> upstream) throws IOException {
            response.setStatus(upstream.statusCode());
            upstream.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!NOT_RETURNED.contains(lower) && !lower.startsWith(":")) {
                    values.forEach(value -> response.addHeader(name, value));
                }
            });
            extraResponseHeaders.forEach(response::setHeader);
            if (upstream.headers().firstValue("Content-Length").isEmpty()) {
                // a stream: send the headers now, so the client sees the session and the stream opening at once
                response.flushBuffer();
            }
            upstream.body().subscribe(new Relay(upstream.statusCode()));
        }

        private void discard(HttpResponse<Flow.Publisher<List<ByteBuffer>>> upstream) {
            upstream.body().subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.cancel();
                }

                @Override
                public void onNext(List<ByteBuffer> item) {
                }

                @Override
                public void onError(Throwable throwable) {
                }

                @Override
                public void onComplete() {
                }
            });
        }

        private void finish(ProblemException problem, String outcome) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            try {
                ProblemWriter.write(response, problem, path);
            }
            catch (IOException clientGone) {
                log.debug("client left before the gateway's answer: {}", clientGone.toString());
            }
            finally {
                complete(outcome);
            }
        }

        private void complete(String outcome) {
            permit.release();
            metrics.proxied(outcome, System.nanoTime() - startedNanos);
            try {
                async.complete();
            }
            catch (IllegalStateException alreadyCompleted) {
                log.debug("async request already completed");
            }
        }

        private void abort(String outcome) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            var current = subscription;
            if (current != null) {
                current.cancel();
            }
            else if (inFlight != null) {
                inFlight.cancel(true);
            }
            complete(outcome);
        }

        private long remainingNanos() {
            return wakeDeadlineNanos - System.nanoTime();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // the longest a stream is kept: the client reconnects (and resumes, if it asked for resumable streams)
            abort("stream-limit");
        }

        @Override
        public void onError(AsyncEvent event) {
            abort("client-gone");
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        /** Writes each upstream chunk to the client as it arrives, asking for the next only once it is flushed. */
        private final class Relay implements Flow.Subscriber<List<ByteBuffer>> {

            private final int status;

            private OutputStream out;

            Relay(int status) {
                this.status = status;
            }

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                if (finished.get()) {
                    s.cancel();
                    return;
                }
                try {
                    out = response.getOutputStream();
                }
                catch (IOException | IllegalStateException gone) {
                    s.cancel();
                    abort("client-gone");
                    return;
                }
                s.request(1);
            }

            @Override
            public void onNext(List<ByteBuffer> chunk) {
                try {
                    for (ByteBuffer buffer : chunk) {
                        if (buffer.hasArray()) {
                            out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
                        }
                        else {
                            byte[] bytes = new byte[buffer.remaining()];
                            buffer.get(bytes);
                            out.write(bytes);
                        }
                    }
                    out.flush();
                    subscription.request(1);
                }
                catch (IOException | IllegalStateException clientGone) {
                    subscription.cancel();
                    abort("client-gone");
                }
            }

            @Override
            public void onError(Throwable failure) {
                log.debug("team {}'s stream ended abruptly: {}", route.teamId(), failure.toString());
                if (finished.compareAndSet(false, true)) {
                    complete("upstream-aborted");
                }
            }

            @Override
            public void onComplete() {
                if (finished.compareAndSet(false, true)) {
                    complete(String.valueOf(status / 100) + "xx");
                }
            }
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static boolean isConnectFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
