package com.employable.flotilla.localfly.checks;

import com.employable.flotilla.localfly.machines.MachineBoot;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One run of one check against one machine, as flyd runs it: straight to the machine's port, never through the
 * proxy (so it is not traffic for autostop and wakes nothing). HTTP: 2xx is passing, 429 warning, anything else or
 * no answer within the timeout critical (Consul's rules, which Fly's checks come from); TCP: a connection is passing.
 * The output names the machine's private address and the configured port, as Fly's would; the process runtime maps
 * that port to the one loopback port its process listens on.
 */
final class CheckRun {

    /** The start of an HTTP check's body kept in its output. */
    static final int MAX_BODY_CHARS = 512;

    private final HttpClient http;

    CheckRun(HttpClient http) {
        this.http = http;
    }

    /** What the run saw. */
    record Result(String status, String output) {}

    Result run(CheckDefinition check, MachineBoot boot) {
        if (check.invalid() != null) {
            return new Result(CheckStatus.CRITICAL, "invalid check: " + check.invalid());
        }
        return "tcp".equals(check.type()) ? tcp(check, boot) : http(check, boot);
    }

    private Result http(CheckDefinition check, MachineBoot boot) {
        String shown = "HTTP " + check.method() + " " + check.protocol() + "://[" + boot.privateIp() + "]:"
                + check.port() + check.path();
        if (!"http".equals(check.protocol())) {
            return new Result(CheckStatus.WARNING, shown + ": not run: local-fly runs http checks only");
        }
        HttpRequest request;
        try {
            var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + boot.port() + check.path()))
                    .timeout(check.timeout())
                    .method(check.method(), HttpRequest.BodyPublishers.noBody());
            check.headers().forEach(header -> header.values().forEach(value -> builder.header(header.name(), value)));
            request = builder.build();
        } catch (IllegalArgumentException e) {
            return new Result(CheckStatus.CRITICAL, shown + ": invalid request: " + e.getMessage());
        }
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(MAX_BODY_CHARS * 4), StandardCharsets.UTF_8);
            }
            body = body.length() > MAX_BODY_CHARS ? body.substring(0, MAX_BODY_CHARS) : body;
            int code = response.statusCode();
            String status = code >= 200 && code < 300
                    ? CheckStatus.PASSING
                    : code == 429 ? CheckStatus.WARNING : CheckStatus.CRITICAL;
            return new Result(status, shown + ": " + code + " Output: " + body.strip());
        } catch (HttpTimeoutException e) {
            return new Result(CheckStatus.CRITICAL, shown + ": timed out after " + millis(check) + "ms");
        } catch (ConnectException e) {
            return new Result(CheckStatus.CRITICAL, shown + ": connection refused");
        } catch (IOException e) {
            return new Result(CheckStatus.CRITICAL, shown + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(CheckStatus.CRITICAL, shown + ": interrupted");
        }
    }

    private static Result tcp(CheckDefinition check, MachineBoot boot) {
        String shown = "TCP connect [" + boot.privateIp() + "]:" + check.port();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", boot.port()), (int) Math.max(1, millis(check)));
            return new Result(CheckStatus.PASSING, shown + ": Success");
        } catch (SocketTimeoutException e) {
            return new Result(CheckStatus.CRITICAL, shown + ": timed out after " + millis(check) + "ms");
        } catch (IOException e) {
            return new Result(CheckStatus.CRITICAL, shown + ": connection refused");
        }
    }

    private static long millis(CheckDefinition check) {
        return check.timeout().toMillis();
    }
}
