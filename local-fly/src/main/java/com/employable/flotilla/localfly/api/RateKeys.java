package com.employable.flotilla.localfly.api;

import com.employable.flotilla.localfly.limits.RateLimits.Limit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The bucket Fly counts a {@code /v1} call against: an action and the machine or app id it is keyed on. Derived
 * from the path itself, before routing, so a call is limited whether or not the route exists (as on Fly, where the
 * limiter sits in front of the API).
 */
record RateKeys(String action, String id) {

    /** @param path the segments after {@code /v1} */
    static Optional<RateKeys> of(String method, List<String> path) {
        if (path.size() < 2 || !"apps".equals(path.get(0))) {
            return Optional.empty();
        }
        String verb = method.toLowerCase(Locale.ROOT);
        String app = path.get(1);
        if (path.size() == 2) {
            return Optional.of(
                    "DELETE".equals(method) ? new RateKeys("app_delete", "org") : new RateKeys("app_" + verb, app));
        }
        String area = path.get(2);
        if (!"machines".equals(area)) {
            return Optional.of(new RateKeys(area + "_" + verb, app));
        }
        if (path.size() == 3) {
            return Optional.of(new RateKeys("GET".equals(method) ? "machine_list" : "machine_create", app));
        }
        String id = path.get(3);
        if (path.size() == 4) {
            return Optional.of(
                    switch (method) {
                        case "GET" -> new RateKeys("machine_get", id);
                        case "DELETE" -> new RateKeys("machine_delete", id);
                        default -> new RateKeys("machine_update", id);
                    });
        }
        return Optional.of(new RateKeys("machine_" + path.get(4) + "_" + verb, id));
    }

    /**
     * Fly documents three limits: Get Machine 5 req/s with bursts of 10, app deletions 100 a minute, and every other
     * action 1 req/s with bursts of 3 (reference §1.12). Listing machines and waiting on one are actions of their own,
     * not Get Machine, so they take the 1 req/s.
     */
    Limit limit() {
        return switch (action) {
            case "machine_get" -> Limit.GET_MACHINE;
            case "app_delete" -> Limit.DELETE_APP;
            default -> Limit.DEFAULT;
        };
    }
}
