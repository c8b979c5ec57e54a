package com.employable.flotilla.health.support;

import com.employable.flotilla.common.testsupport.FlotillaTestProperties;
import com.employable.flotilla.health.probe.Prober;
import com.employable.flotilla.health.targets.ProbeTarget;
import com.employable.flotilla.health.targets.TargetKey;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
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

    private static final AtomicBoolean WARM = new AtomicBoolean();

    private final List<String> teams = new ArrayList<>();

    @Autowired
    private Prober prober;

    /**
     * A cold JVM's first probes (service and test server alike load and compile their HTTP and MCP code) take longer
     * than the slow threshold; the tests judge servers, not the JVM's warm-up, so a throwaway server is probed first.
     */
    @BeforeEach
    void warmUp() throws Exception {
        if (WARM.getAndSet(true)) {
            return;
        }
        String team = RegistryFeed.team("warm-up");
        try (SdkMcpServer server = SdkMcpServer.start(ProbeKeys.SERVICE.tokenFor(team))) {
            ProbeTarget target = new ProbeTarget(
                    new TargetKey(team, RegistryFeed.MACHINE), URI.create(server.endpoint(team)), 1, false);
            for (int i = 0; i < 3; i++) {
                prober.probe(target).get(30, TimeUnit.SECONDS);
            }
        }
    }

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
