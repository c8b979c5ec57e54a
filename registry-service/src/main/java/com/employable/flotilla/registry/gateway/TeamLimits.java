package com.employable.flotilla.registry.gateway;

import com.employable.flotilla.registry.system.ProblemException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * Per-team caps on what one gateway instance holds open for a team: requests in flight (from the first body byte to
 * the last response byte) and standalone SSE streams. A team over its cap gets 429 and never takes capacity from the
 * others. Counters live in memory, so the caps are per instance.
 */
final class TeamLimits {

    private final int maxRequests;

    private final int maxStreams;

    private final Duration retryAfter;

    private final Map<String, Integer> requests = new ConcurrentHashMap<>();

    private final Map<String, Integer> streams = new ConcurrentHashMap<>();

    TeamLimits(int maxRequests, int maxStreams, Duration retryAfter) {
        this.maxRequests = maxRequests;
        this.maxStreams = maxStreams;
        this.retryAfter = retryAfter;
    }

    /**
     * Takes a request slot of the team, and a stream slot too when the request opens a standalone stream.
     *
     * @throws ProblemException 429 when the team is at one of its caps
     */
    Permit acquire(String teamId, boolean stream) {
        if (!take(requests, teamId, maxRequests)) {
            throw tooMany("requests", maxRequests);
        }
        if (stream && !take(streams, teamId, maxStreams)) {
            give(requests, teamId);
            throw tooMany("open event streams", maxStreams);
        }
        return new Permit(teamId, stream);
    }

    int inFlight(String teamId) {
        return requests.getOrDefault(teamId, 0);
    }

    private static boolean take(Map<String, Integer> counters, String teamId, int max) {
        var taken = new AtomicBoolean();
        counters.compute(teamId, (team, count) -> {
            int current = count == null ? 0 : count;
            if (current >= max) {
                return count;
            }
            taken.set(true);
            return current + 1;
        });
        return taken.get();
    }

    private static void give(Map<String, Integer> counters, String teamId) {
        // remove the entry at zero, so idle teams cost nothing
        counters.computeIfPresent(teamId, (team, count) -> count <= 1 ? null : count - 1);
    }

    private ProblemException tooMany(String what, int max) {
        var headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfter.toSeconds())));
        return new ProblemException(
                HttpStatus.TOO_MANY_REQUESTS,
                "team-limit-reached",
                "Too many requests",
                "the team already has " + max + " " + what + " in flight through the gateway; retry later",
                headers,
                Map.of());
    }

    /** A held slot; released once, whatever path the request ends on. */
    final class Permit {

        private final String teamId;

        private final boolean stream;

        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(String teamId, boolean stream) {
            this.teamId = teamId;
            this.stream = stream;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                if (stream) {
                    give(streams, teamId);
                }
                give(requests, teamId);
            }
        }
    }
}
