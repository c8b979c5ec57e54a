package com.employable.flotilla.registry.system;

import com.employable.flotilla.registry.auth.AuthenticationFailed;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** The problems the API and the gateway answer with, in one place so both say the same thing the same way. */
public final class Problems {

    private Problems() {}

    /**
     * 401 with an RFC 6750 challenge; {@code challengeParams} (e.g. the gateway's {@code resource_metadata}) come
     * first, then the error code when a token was presented.
     */
    public static ProblemException unauthenticated(AuthenticationFailed failure, String challengeParams) {
        if (failure.reason() == AuthenticationFailed.Reason.KEYS_UNAVAILABLE) {
            var headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, "5");
            return new ProblemException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "token-keys-unavailable",
                    "Tokens cannot be verified right now",
                    failure.getMessage(),
                    headers,
                    Map.of());
        }
        var challenge = new StringBuilder("Bearer ").append(challengeParams);
        String slug = "authentication-required";
        String title = "Authentication required";
        if (failure.reason() == AuthenticationFailed.Reason.INVALID) {
            challenge
                    .append(", error=\"invalid_token\", error_description=\"")
                    .append(failure.getMessage().replace("\"", "'"))
                    .append('"');
            slug = "invalid-token";
            title = "Invalid token";
        }
        var headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, challenge.toString());
        return new ProblemException(HttpStatus.UNAUTHORIZED, slug, title, failure.getMessage(), headers, Map.of());
    }

    /**
     * 403 for a team the token does not belong to. The same answer whether or not that team exists, decided before
     * the team is looked up, so it reveals nothing about other teams.
     */
    public static ProblemException notYourTeam() {
        return new ProblemException(
                HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "the token does not grant access to this team");
    }

    public static ProblemException noServer(String teamId) {
        return new ProblemException(
                HttpStatus.NOT_FOUND, "no-server", "No server", "team " + teamId + " has no MCP server registered");
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
    }

    public static ProblemException unavailable(String slug, String title, String detail, Duration retryAfter) {
        var headers = new HttpHeaders();
        if (retryAfter != null) {
            headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfter.toSeconds())));
        }
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, slug, title, detail, headers, Map.of());
    }
}
