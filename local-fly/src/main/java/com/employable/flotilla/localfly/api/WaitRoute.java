package com.employable.flotilla.localfly.api;

import com.employable.flotilla.localfly.error.FlyError;
import com.employable.flotilla.localfly.http.Answer;
import com.employable.flotilla.localfly.http.Request;
import com.employable.flotilla.localfly.machines.Machines;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /v1/apps/{app}/machines/{id}/wait}: Fly's states (a comma list, {@code settled} for any resting one)
 * and its timeout range, 1..60 s.
 */
final class WaitRoute {

    private static final Set<String> WAIT_STATES =
            Set.of("started", "stopped", "suspended", "destroyed", "failed", "settled");

    private final Machines machines;

    WaitRoute(Machines machines) {
        this.machines = machines;
    }

    Answer waitFor(Request request) {
        String timeoutText = request.query().getOrDefault("timeout", "60");
        int timeout;
        try {
            timeout = Integer.parseInt(timeoutText.replaceAll("s$", ""));
        } catch (NumberFormatException e) {
            throw new FlyError(400, "invalid timeout " + timeoutText);
        }
        if (timeout < 1 || timeout > 60) {
            throw new FlyError(400, "invalid_argument: timeout must be in the range [1s, 1m0s]");
        }
        Set<String> states = new LinkedHashSet<>();
        for (String state : request.query().getOrDefault("state", "started").split(",")) {
            if (!WAIT_STATES.contains(state.trim())) {
                throw new FlyError(400, "invalid state " + state + " (one of " + WAIT_STATES + ")");
            }
            states.add(state.trim());
        }
        if (states.remove("settled")) {
            states.addAll(List.of("started", "stopped", "suspended", "failed", "destroyed"));
        }
        String reached =
                machines.waitFor(request.param("app"), request.param("id"), states, Duration.ofSeconds(timeout));
        ObjectNode ok = Json.object();
        ok.put("ok", true);
        ok.put("state", reached);
        return Answer.ok(ok);
    }
}
