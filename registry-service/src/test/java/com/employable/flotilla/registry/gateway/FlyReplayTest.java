package com.employable.flotilla.registry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The fly-replay answer names the app the server runs in (the team's own or its pool app) and the wake bound. */
class FlyReplayTest {

    @Test
    void aNewSessionPrefersThePinnedMachineOfThePoolApp() {
        var route = new Route("acme", "flotilla-pool-k3x9w2q8", null, null, "m1", null, true);

        assertThat(FlyReplay.header(route, Duration.ofSeconds(10)))
                .isEqualTo("app=flotilla-pool-k3x9w2q8;prefer_instance=m1;timeout=10000ms");
    }

    @Test
    void aSessionMustReachItsMachine() {
        var route = new Route("acme", "flotilla-team-acme", null, null, "m2", "session-1", false);

        assertThat(FlyReplay.header(route, Duration.ofSeconds(10)))
                .isEqualTo("app=flotilla-team-acme;instance=m2;timeout=10000ms");
    }
}
