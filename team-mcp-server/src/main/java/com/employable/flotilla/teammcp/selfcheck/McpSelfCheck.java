package com.employable.flotilla.teammcp.selfcheck;

import com.employable.flotilla.teammcp.Secret;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One MCP conversation with this server, through its own HTTP stack on loopback, with the probe token it holds:
 * {@code initialize}, {@code notifications/initialized}, {@code tools/list}, then the session is closed. It passes
 * the same canonical-path filter, auth gate (with the probe token's limits), header validation, transport and MCP
 * server as the health-service's probe does, so a server whose tool registry or transport is broken fails it while
 * its plain {@code /healthz} still answers.
 *
 * <p>Callers that arrive while a conversation runs share its outcome instead of starting another, so requests to
 * {@code /healthz/mcp} never pile conversations onto the server. The whole conversation is bounded by a deadline
 * below the check's timeout. The summary is one printable line without the probe token.
 */
public final class McpSelfCheck {

    static final int MAX_SUMMARY = 300;

    private static final Pattern UNPRINTABLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}]+");

    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer)(\\s+|%20|\\+)[A-Za-z0-9._~+/=-]{6,}");

    private final Supplier<URI> endpoint;

    private final Optional<Secret> probeToken;

    private final Duration deadline;

    private final Object lock = new Object();

    private Outcome last;

    private long lastFinishedNanos;

    /**
     * @param endpoint this server's MCP endpoint on loopback, asked once the server is bound
     * @param probeToken the probe token the server accepts; without one the self-check fails (and the check gate
     *     admits nobody anyway)
     * @param deadline the longest a conversation may take, kept below the Fly check's timeout
     */
    public McpSelfCheck(Supplier<URI> endpoint, Optional<Secret> probeToken, Duration deadline) {
        this.endpoint = endpoint;
        this.probeToken = probeToken;
        this.deadline = deadline;
    }

    /**
     * This server's endpoint as seen from the machine itself: loopback when it listens on every address, else the
     * one address it listens on.
     */
    public static URI loopback(String bindAddress, int port, String path) {
        String host = switch (bindAddress) {
            case "0.0.0.0", "::", "0:0:0:0:0:0:0:0", "[::]" -> "127.0.0.1";
            default ->
                bindAddress.contains(":") && !bindAddress.startsWith("[") ? "[" + bindAddress + "]" : bindAddress;
        };
        return URI.create("http://" + host + ":" + port + path);
    }

    /** What one conversation found: whether the server answered MCP, and a one-line summary. */
    public record Outcome(boolean ok, String summary) {}

    /** Runs a conversation, or shares the one that finished while this caller waited for it. */
    public Outcome run() {
        long arrived = System.nanoTime();
        synchronized (lock) {
            if (last != null && lastFinishedNanos - arrived >= 0) {
                return last;
            }
            last = converse();
            lastFinishedNanos = System.nanoTime();
            return last;
        }
    }

    private Outcome converse() {
        if (probeToken.isEmpty()) {
            return new Outcome(false, "MCP self-check failed (auth): no probe token is configured");
        }
        String token = probeToken.get().utf8();
        var conversation = new LoopbackConversation(endpoint.get(), token, System.nanoTime() + deadline.toNanos());
        long started = System.nanoTime();
        String step = "initialize";
        try {
            String protocol = conversation.initialize();
            step = "notifications/initialized";
            conversation.initialized();
            step = "tools/list";
            int tools = conversation.listTools();
            long millis = (System.nanoTime() - started) / 1_000_000;
            return new Outcome(
                    true,
                    "MCP ok: initialize + tools/list: " + tools + " tools, protocol " + clean(protocol, token) + ", in "
                            + millis + " ms");
        } catch (LoopbackConversation.Refused refused) {
            return failed(refused.kind(), step + ": " + refused.getMessage(), token);
        } catch (SocketTimeoutException timeout) {
            return failed("timeout", step + " timed out (deadline " + deadline.toMillis() + " ms)", token);
        } catch (ConnectException refused) {
            return failed("connect", step + ": connection refused on loopback", token);
        } catch (IOException lost) {
            return failed("connect", step + ": " + lost.getClass().getSimpleName() + ": " + lost.getMessage(), token);
        } finally {
            conversation.close();
        }
    }

    private static Outcome failed(String kind, String detail, String token) {
        return new Outcome(false, clean("MCP self-check failed (" + kind + "): " + detail, token));
    }

    /** One printable line, without the probe token or anything shaped like a bearer token, cut short. */
    static String clean(String text, String token) {
        String line =
                UNPRINTABLE.matcher(text == null ? "" : text).replaceAll(" ").trim();
        if (token != null && !token.isEmpty()) {
            line = line.replace(token, "***");
        }
        line = BEARER.matcher(line).replaceAll("$1 ***");
        return line.length() <= MAX_SUMMARY ? line : line.substring(0, MAX_SUMMARY) + "...";
    }
}
