package com.employable.flotilla.health.support;

import com.employable.flotilla.common.testsupport.FlotillaTestProperties;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one Spring context every IT of this module shares (same configuration, so it starts once per test JVM): the
 * real service on the shared broker and a database of its own, probing every 300 ms with short timeouts (but
 * a slow threshold and timeouts a cold JVM's first probes stay within), and a booting server given 3 s. Every
 * machine's address is derived from the {@link TeamProxy}'s templates (the default, each machine over the private
 * network), as Fly's (or local-fly's) addresses would be; a test puts its team's server behind them with
 * {@link #serve}.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "flotilla.health.schedule.interval=" + HealthServiceContext.INTERVAL_MS + "ms",
            "flotilla.health.schedule.startup-interval=100ms",
            "flotilla.health.schedule.startup-grace=3s",
            "flotilla.health.probe.connect-timeout=500ms",
            "flotilla.health.probe.initialize-timeout=1500ms",
            "flotilla.health.probe.request-timeout=1500ms",
            "flotilla.health.probe.close-timeout=500ms",
            "flotilla.health.verdict.slow-threshold=1s",
            "flotilla.outbox.poll-interval=100ms",
            "flotilla.operator.token=" + Operator.TOKEN
        })
public abstract class HealthServiceContext {

    /** How often the service probes each started machine in these tests. */
    public static final int INTERVAL_MS = 300;

    private final List<String> teams = new ArrayList<>();

    /** A unique team id for this test; the team is removed from the registry when the test ends. */
    protected String newTeam(String prefix) {
        String team = RegistryFeed.team(prefix);
        teams.add(team);
        return team;
    }

    /** Puts the server answering at {@code endpoint} behind the team's derived address. */
    protected void serve(String teamId, String endpoint) {
        TeamProxy.shared().serve(teamId, endpoint);
    }

    @AfterEach
    void removeTeams() {
        // nothing keeps probing a server the test has stopped, so later tests see only their own transitions
        teams.forEach(RegistryFeed::tombstone);
        teams.forEach(TeamProxy.shared()::forget);
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        FlotillaTestProperties.register(registry, "health_it");
        registry.add("flotilla.health.probe-key", () -> ProbeKeys.SERVICE_KEY_BASE64);
        registry.add("flotilla.teams.endpoint-url-template", TeamProxy.shared()::publicTemplate);
        registry.add("flotilla.teams.private-endpoint-url-template", TeamProxy.shared()::privateTemplate);
        registry.add("flotilla.teams.machine-url-template", TeamProxy.shared()::machineTemplate);
    }
}
