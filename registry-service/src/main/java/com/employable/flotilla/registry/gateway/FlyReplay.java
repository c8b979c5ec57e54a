package com.employable.flotilla.registry.gateway;

import java.time.Duration;

/**
 * The {@code fly-replay} answer that makes Fly Proxy replay the request to the team's app: requests of an
 * established session must reach the machine holding it ({@code instance}, no fallback); new sessions prefer the
 * team's pinned machine but may land elsewhere ({@code prefer_instance}). Fly Proxy starts a stopped machine itself.
 */
final class FlyReplay {

    static final String HEADER = "fly-replay";

    private FlyReplay() {}

    static String header(Route route, Duration timeout) {
        var value = new StringBuilder("app=").append(route.app());
        if (route.machineId() != null) {
            value.append(route.sessionId() != null ? ";instance=" : ";prefer_instance=")
                    .append(route.machineId());
        }
        value.append(";timeout=").append(timeout.toMillis()).append("ms");
        return value.toString();
    }
}
