package com.employable.flotilla.registry.gateway;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.EventListener;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * The gateway's HTTP client to team servers: OkHttp's synchronous calls over pooled HTTP/1.1 connections, each made
 * on the thread that then relays the answer (see {@link ProxyExchange}). It replaced the JDK client, whose
 * asynchronous pipeline passed every request across three threads (its selector, its executor, the common pool) and
 * was about half of the gateway's CPU per request.
 *
 * <p>It sends what the gateway built and nothing of its own: OkHttp would add {@code Accept-Encoding: gzip} (and then
 * unzip the answer itself) where the agent asked for no encoding; that header is taken off again before it leaves.
 * Request bodies are one-shot, so OkHttp never sends one twice: whether to send a request again is
 * {@link ResendPolicy}'s decision alone.
 */
final class UpstreamClient {

    private UpstreamClient() {}

    static OkHttpClient create(Duration connectTimeout) {
        return new OkHttpClient.Builder()
                // what Fly Proxy and local-fly speak to machines; no redirects: the endpoint is the endpoint
                .protocols(List.of(Protocol.HTTP_1_1))
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(connectTimeout)
                // the response timeout bounds the wait for an answer's head (ProxyExchange); an SSE stream may idle
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                // as long as the JDK client kept idle connections; a non-GET on one idle for over 10 s is checked first
                .connectionPool(new ConnectionPool(256, 30, TimeUnit.SECONDS))
                .eventListenerFactory(call -> {
                    Attempt attempt = call.request().tag(Attempt.class);
                    return attempt == null ? EventListener.NONE : attempt;
                })
                .addNetworkInterceptor(UpstreamClient::withoutAddedEncoding)
                .build();
    }

    /** A body OkHttp sends at most once. */
    static RequestBody oneShot(byte[] body) {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                // the agent's Content-Type header goes on as it came
                return null;
            }

            @Override
            public long contentLength() {
                return body.length;
            }

            @Override
            public boolean isOneShot() {
                return true;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.write(body);
            }
        };
    }

    private static Response withoutAddedEncoding(Interceptor.Chain chain) throws IOException {
        Request request = chain.request();
        Attempt attempt = request.tag(Attempt.class);
        if (attempt == null || attempt.acceptEncoding() || request.header("Accept-Encoding") == null) {
            return chain.proceed(request);
        }
        return chain.proceed(
                request.newBuilder().removeHeader("Accept-Encoding").build());
    }

    /**
     * One attempt's own record, carried as the request's tag: whether the agent asked for an encoding itself, and
     * whether any of the request was written (until then, a failure proves the server saw nothing).
     */
    static final class Attempt extends EventListener {

        private final boolean acceptEncoding;

        private volatile boolean sent;

        Attempt(boolean acceptEncoding) {
            this.acceptEncoding = acceptEncoding;
        }

        boolean acceptEncoding() {
            return acceptEncoding;
        }

        /** Whether the request's first byte was about to be written, or was. */
        boolean sent() {
            return sent;
        }

        @Override
        public void requestHeadersStart(Call call) {
            sent = true;
        }
    }
}
