package com.employable.flotilla.health.probe;

import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.common.events.health.ProbeFailure;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns what went wrong in a probe step into one of the five failure kinds the registry and provisioner act on, with
 * a short detail. Details are composed here from facts (step, status, exception type); text a server sent is
 * flattened, stripped of the probe token and of anything shaped like a bearer token (a server, or a parser quoting
 * its answer, may echo the request's credentials) and cut short, since it is untrusted and ends up in events, the
 * API and logs.
 */
final class FailureClassifier {

    static final int MAX_DETAIL = 240;

    /** Untrusted text is flattened at most this long before the whole detail is redacted and cut to its size. */
    private static final int MAX_UNTRUSTED = 4 * MAX_DETAIL;

    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer)(\\s+|%20|\\+)[A-Za-z0-9._~+/=-]{6,}");

    /**
     * What must never reach a log line, an event or the API from a server's text: control characters (C0, DEL and C1,
     * among them CR, LF, ESC and NEL), line and paragraph separators, invisible format characters (bidirectional
     * overrides, zero-width ones) and unpaired surrogates. Any of them could forge a log line, hide or reorder what an
     * operator reads, or break an event's JSON.
     */
    private static final Pattern UNPRINTABLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}]+");

    static final String REDACTED = "***";

    private FailureClassifier() {}

    /**
     * @param step the MCP step that failed ({@code initialize}, {@code tools/list}, {@code ping})
     * @param error what the SDK or the timeout raised
     * @param unexpectedStatus the last non-2xx HTTP status the server answered during the probe, or 0
     * @param stepTimeout the timeout of that step, for the detail
     * @param connectTimeout the connect timeout, for the detail
     * @param probeToken the bearer token the probe sent, never to appear in the detail
     */
    static ProbeFailure classify(
            String step,
            Throwable error,
            int unexpectedStatus,
            Duration stepTimeout,
            Duration connectTimeout,
            String probeToken) {
        return safe(kindAndDetail(step, error, unexpectedStatus, stepTimeout, connectTimeout), probeToken);
    }

    /**
     * The failure as it may be published: no probe token, nothing shaped like a bearer token, one short line of
     * printable characters. Every detail that may quote a server passes here, whichever step composed it.
     */
    static ProbeFailure safe(ProbeFailure failure, String probeToken) {
        String detail = printable(failure.detail());
        if (probeToken != null && !probeToken.isEmpty()) {
            detail = detail.replace(probeToken, REDACTED);
        }
        detail = BEARER.matcher(detail).replaceAll("$1 " + REDACTED);
        if (detail.length() > MAX_DETAIL) {
            // never cut between the two halves of a character outside the BMP
            int cut = Character.isHighSurrogate(detail.charAt(MAX_DETAIL - 1)) ? MAX_DETAIL - 1 : MAX_DETAIL;
            detail = detail.substring(0, cut) + "...";
        }
        return new ProbeFailure(failure.kind(), detail.isEmpty() ? "(no detail)" : detail);
    }

    /** Each run of unprintable characters becomes one space: the words on either side stay apart. */
    private static String printable(String text) {
        return UNPRINTABLE.matcher(text).replaceAll(" ").trim();
    }

    private static ProbeFailure kindAndDetail(
            String step, Throwable error, int unexpectedStatus, Duration stepTimeout, Duration connectTimeout) {
        List<Throwable> chain = chain(error);
        for (Throwable cause : chain) {
            if (cause instanceof McpHttpClientTransportAuthorizationException auth) {
                int status =
                        auth.getResponseInfo() != null ? auth.getResponseInfo().statusCode() : unexpectedStatus;
                return new ProbeFailure(FailureKind.AUTH, step + ": probe token refused (HTTP " + status + ")");
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof HttpConnectTimeoutException) {
                return new ProbeFailure(
                        FailureKind.CONNECT, step + ": connect timed out after " + connectTimeout.toMillis() + " ms");
            }
            if (cause instanceof ConnectException
                    || cause instanceof UnresolvedAddressException
                    || cause instanceof UnknownHostException
                    || cause instanceof NoRouteToHostException
                    || cause instanceof PortUnreachableException) {
                return new ProbeFailure(FailureKind.CONNECT, step + ": " + connectDetail(cause));
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
                return new ProbeFailure(
                        FailureKind.TIMEOUT, step + " timed out after " + stepTimeout.toMillis() + " ms");
            }
        }
        if (unexpectedStatus == 401 || unexpectedStatus == 403) {
            return new ProbeFailure(FailureKind.AUTH, step + ": probe token refused (HTTP " + unexpectedStatus + ")");
        }
        if (unexpectedStatus != 0) {
            String redirect = unexpectedStatus >= 300 && unexpectedStatus < 400 ? " (redirects are not followed)" : "";
            return new ProbeFailure(FailureKind.HTTP, step + ": HTTP " + unexpectedStatus + redirect);
        }
        for (Throwable cause : chain) {
            if (isOversized(cause)) {
                return new ProbeFailure(FailureKind.PROTOCOL, step + ": response larger than the probe accepts");
            }
            if (cause instanceof McpError mcpError) {
                var rpc = mcpError.getJsonRpcError();
                String code = rpc != null ? " " + rpc.code() : "";
                return new ProbeFailure(
                        FailureKind.PROTOCOL,
                        step + ": JSON-RPC error" + code + ": " + untrusted(mcpError.getMessage()));
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof SSLException) {
                return new ProbeFailure(FailureKind.CONNECT, step + ": TLS failed: " + describe(cause));
            }
            // the connection dropped without an HTTP answer (reset, closed before the status line)
            if (cause instanceof IOException && isPlatform(cause)) {
                return new ProbeFailure(FailureKind.CONNECT, step + ": connection lost: " + describe(cause));
            }
        }
        Throwable innermost = chain.get(chain.size() - 1);
        return new ProbeFailure(FailureKind.PROTOCOL, step + ": not a valid MCP answer: " + describe(innermost));
    }

    /** The SDK's response size cap tripped (it reports that in its exception message only). */
    private static boolean isOversized(Throwable cause) {
        return cause.getClass().getSimpleName().equals("MaxSizeExceededException")
                || (cause.getMessage() != null && cause.getMessage().contains("exceeds the maximum allowed size"));
    }

    /** An I/O failure of the JDK's HTTP stack, as opposed to one the SDK raised about what it read. */
    private static boolean isPlatform(Throwable cause) {
        String type = cause.getClass().getName();
        return type.startsWith("java.") || type.startsWith("javax.net.") || type.startsWith("jdk.");
    }

    private static String connectDetail(Throwable cause) {
        if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
            return "host name does not resolve";
        }
        if (cause instanceof NoRouteToHostException) {
            return "no route to host";
        }
        return "connection refused";
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        String type = cause.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : untrusted(message);
    }

    /**
     * Untrusted text on one line and of bounded length. Not yet fit to publish: {@link #safe} redacts and cuts the
     * whole detail, which is why this cut is far longer (a token is never split before it is redacted).
     */
    static String untrusted(String text) {
        if (text == null) {
            return "";
        }
        String flat = printable(text);
        return flat.length() <= MAX_UNTRUSTED ? flat : flat.substring(0, MAX_UNTRUSTED);
    }

    private static List<Throwable> chain(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        Throwable current = error;
        while (current != null && !chain.contains(current) && chain.size() < 20) {
            chain.add(current);
            current = current.getCause();
        }
        return chain;
    }
}
