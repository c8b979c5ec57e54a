package com.employable.flotilla.registry.gateway;

import com.employable.flotilla.registry.system.ProblemException;
import com.employable.flotilla.registry.system.Problems;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** The gateway's own answers when a proxied request gets no answer worth relaying. */
final class ProxyProblems {

    private ProxyProblems() {}

    static ProblemException notResent(int status, Duration retryAfter) {
        var headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfter.toSeconds())));
        return new ProblemException(
                HttpStatus.valueOf(status),
                "upstream-failed-not-resent",
                "Team server failed",
                "the team's server (or Fly's proxy in front of it) answered " + status
                        + " after the request may have reached it; the gateway did not send it again, as it "
                        + "may have run",
                headers,
                Map.of());
    }

    static ProblemException wakeTimedOut(Duration wakeTimeout, Duration retryAfter) {
        return Problems.unavailable(
                "server-waking",
                "Server not awake yet",
                "the team's server did not wake within " + seconds(wakeTimeout)
                        + "; it may still be starting, and the request was not sent to it",
                retryAfter);
    }

    /** {@code 10 s}, or {@code 0.5 s} under a second. */
    static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0
                ? duration.toSeconds() + " s"
                : java.math.BigDecimal.valueOf(duration.toMillis(), 3)
                                .stripTrailingZeros()
                                .toPlainString() + " s";
    }

    static ProblemException timedOut(Duration responseTimeout) {
        return new ProblemException(
                HttpStatus.GATEWAY_TIMEOUT,
                "upstream-timeout",
                "Gateway timeout",
                "the team's server did not answer within " + responseTimeout.toSeconds() + " s");
    }

    static ProblemException credentialsRejected() {
        return new ProblemException(
                HttpStatus.BAD_GATEWAY,
                "gateway-credentials-rejected",
                "Team server refused the gateway",
                "the team's server did not accept the gateway's " + "credentials; operators have been told");
    }

    static ProblemException unreachable() {
        return new ProblemException(
                HttpStatus.BAD_GATEWAY, "upstream-error", "Bad gateway", "the team's server could not be reached");
    }

    static ProblemException notRelayed() {
        return new ProblemException(
                HttpStatus.BAD_GATEWAY,
                "upstream-error",
                "Bad gateway",
                "the team's server answer could not be relayed");
    }
}
