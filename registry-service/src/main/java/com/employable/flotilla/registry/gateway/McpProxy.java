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
 * <p>While the team's server is waking (connection refused, or 502/503/504 from Fly Proxy), the request is retried
 * with back-off until the wake timeout, then answered 503 with {@code Retry-After}. Only failures where the server
 * cannot have seen the request are retried, so a tool call never runs twice.
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

    void forward(HttpServletRequest request, HttpServletResponse response, Route route, Agent agent, byte[] body,
            Map<String, String> responseHeaders) {
        var exchange = new Exchange(request.getMethod(), forwardedHeaders(request, route, agent), body, route,
                request.getRequestURI(), responseHeaders, response, System.nanoTime());
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(properties.maxStreamDuration().toMillis());
        async.addListener(exchange);
        exchange.start(async);
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
    private final class Exchange implements AsyncListener {

        private final String method;

        private final List<String[]> headers;

        private final byte[] body;

        private final Route route;

        private final String path;

        private final Map<String, String> extraResponseHeaders;

        private final HttpServletResponse response;

        private final long startedNanos;

        private final long wakeDeadlineNanos;

        private final AtomicBoolean finished = new AtomicBoolean();

        private volatile AsyncContext async;

        private volatile CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> inFlight;

        private volatile Flow.Subscription subscription;

        private int attempts;

        Exchange(String method, List<String[]> headers, byte[] body, Route route, String path,
                Map<String, String> extraResponseHeaders, HttpServletResponse response, long startedNanos) {
            this.method = method;
            this.headers = headers;
            this.body = body;
            this.route = route;
            this.path = path;
            this.extraResponseHeaders = extraResponseHeaders;
            this.response = response;
            this.startedNanos = startedNanos;
            this.wakeDeadlineNanos = startedNanos + properties.wakeTimeout().toNanos();
        }

        void start(AsyncContext context) {
            this.async = context;
            send();
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
                    // Fly Proxy's answers while a machine starts (or cannot be reached): the server saw nothing
                    discard(upstream);
                    retryOrGiveUp("the team server answered " + status);
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

    static URI upstreamOf(String endpointUrl) {
        return URI.create(endpointUrl);
    }
}
