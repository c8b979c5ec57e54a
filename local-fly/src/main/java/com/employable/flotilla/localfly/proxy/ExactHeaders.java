package com.employable.flotilla.localfly.proxy;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends the machine the client's headers, not OkHttp's: OkHttp adds {@code Accept-Encoding: gzip} (and then unzips
 * the answer itself) and its own {@code User-Agent} where a request has none; a proxy passes on what it got.
 */
final class ExactHeaders implements Interceptor {

    static final ExactHeaders INSTANCE = new ExactHeaders();

    /** Which of the headers OkHttp would add the client sent itself. */
    record Sent(boolean acceptEncoding, boolean userAgent) {

        private static final Sent NEITHER = new Sent(false, false);

        static Sent of(Headers headers) {
            boolean acceptEncoding = headers.containsKey("Accept-Encoding");
            boolean userAgent = headers.containsKey("User-Agent");
            return acceptEncoding || userAgent ? new Sent(acceptEncoding, userAgent) : NEITHER;
        }
    }

    private ExactHeaders() {}

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Sent sent = request.tag(Sent.class);
        if (sent == null || (sent.acceptEncoding() && sent.userAgent())) {
            return chain.proceed(request);
        }
        Request.Builder exact = request.newBuilder();
        if (!sent.acceptEncoding()) {
            exact.removeHeader("Accept-Encoding");
        }
        if (!sent.userAgent()) {
            exact.removeHeader("User-Agent");
        }
        return chain.proceed(exact.build());
    }
}
