package com.employable.flotilla.health.probe;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * One probe's view of the shared HTTP client: every exchange goes through the one shared client (one selector thread
 * and one connection pool for all probes), and this wrapper notes the last unexpected HTTP status, so a failure is
 * classified from what the server answered rather than from the wording of an SDK exception message.
 */
final class RecordingHttpClient extends HttpClient {

    private final HttpClient shared;

    private volatile int unexpectedStatus;

    RecordingHttpClient(HttpClient shared) {
        this.shared = shared;
    }

    /**
     * The last non-2xx status of a POST (a JSON-RPC message) of this probe, or 0. The SDK's optional GET stream and
     * the closing DELETE do not decide a probe, and a server may refuse them (405, or 403 for a probe token).
     */
    int unexpectedStatus() {
        return unexpectedStatus;
    }

    private void note(HttpRequest request, HttpResponse<?> response) {
        int status = response.statusCode();
        if ((status < 200 || status > 299) && "POST".equals(request.method())) {
            unexpectedStatus = status;
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
            HttpRequest request, HttpResponse.BodyHandler<T> responseBodyHandler) {
        return sendAsync(request, responseBodyHandler, null);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
            HttpRequest request,
            HttpResponse.BodyHandler<T> responseBodyHandler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        HttpResponse.BodyHandler<T> noting = responseInfo -> {
            int status = responseInfo.statusCode();
            if ((status < 200 || status > 299) && "POST".equals(request.method())) {
                unexpectedStatus = status;
            }
            return responseBodyHandler.apply(responseInfo);
        };
        // the returned future is handed to the SDK as is, so its cancellation still reaches the exchange
        return shared.sendAsync(request, noting, pushPromiseHandler);
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> responseBodyHandler)
            throws IOException, InterruptedException {
        HttpResponse<T> response = shared.send(request, responseBodyHandler);
        note(request, response);
        return response;
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return shared.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return shared.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return shared.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return shared.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return shared.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return shared.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return shared.authenticator();
    }

    @Override
    public Version version() {
        return shared.version();
    }

    @Override
    public Optional<Executor> executor() {
        return shared.executor();
    }

    /**
     * Hands the SDK's transport builder this client instead of letting it build a new {@link HttpClient} (with its own
     * selector thread and connection pool) per probe. The shared client's settings (no redirects, connect timeout,
     * executor, HTTP/1.1) were fixed when it was built, so the SDK's own settings are ignored on purpose.
     */
    static final class Builder implements HttpClient.Builder {

        private final HttpClient client;

        Builder(HttpClient client) {
            this.client = client;
        }

        @Override
        public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
            return this;
        }

        @Override
        public HttpClient.Builder connectTimeout(Duration duration) {
            return this;
        }

        @Override
        public HttpClient.Builder sslContext(SSLContext sslContext) {
            return this;
        }

        @Override
        public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
            return this;
        }

        @Override
        public HttpClient.Builder executor(Executor executor) {
            return this;
        }

        @Override
        public HttpClient.Builder followRedirects(Redirect policy) {
            return this;
        }

        @Override
        public HttpClient.Builder version(Version version) {
            return this;
        }

        @Override
        public HttpClient.Builder priority(int priority) {
            return this;
        }

        @Override
        public HttpClient.Builder proxy(ProxySelector proxySelector) {
            return this;
        }

        @Override
        public HttpClient.Builder authenticator(Authenticator authenticator) {
            return this;
        }

        @Override
        public HttpClient build() {
            return client;
        }
    }
}
