package com.employable.flotilla.health.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.health.probe.ProbeProperties;
import com.employable.flotilla.health.probe.StreamableHttpProbe;
import com.employable.flotilla.health.support.ProbeKeys;
import com.employable.flotilla.health.support.RegistryFeed;
import com.employable.flotilla.health.support.SdkMcpServer;
import com.employable.flotilla.health.support.TeamProxy;
import com.employable.flotilla.health.targets.ProbeTarget;
import com.employable.flotilla.health.targets.TargetKey;
import com.employable.flotilla.health.targets.TargetListener.Start;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real MCP server (the SDK's), reached straight at its machine address through {@link TeamProxy}, probed by the real
 * probe on the real schedule: when it breaks while awake, the verdict comes within two intervals of the break. The
 * interval is long enough (2 s) that the bound is about the cadence, not about how busy the machine running the test
 * is.
 */
class HealthMonitorIT {

    private static final Duration INTERVAL = Duration.ofSeconds(2);

    private final String team = RegistryFeed.team("breaks");

    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    private final RecordedTransitions transitions = new RecordedTransitions();

    private final SdkMcpServer server = SdkMcpServer.start(ProbeKeys.SERVICE.tokenFor(team));

    private HealthMonitor monitor;

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.stop();
        }
        server.close();
        TeamProxy.shared().forget(team);
        threads.shutdownNow();
    }

    @Test
    void aServerWhoseToolsListFailsWhileAwakeIsUnhealthyWithinTwoIntervalsOfTheBreak() {
        TeamProxy.shared().serve(team, server.endpoint(team));
        ProbeProperties probe = new ProbeProperties(
                ProbeProperties.Method.TOOLS_LIST,
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofMillis(500),
                64 * 1024,
                4,
                2,
                ProbeProperties.Client.STREAMABLE_HTTP);
        monitor = new HealthMonitor(
                new StreamableHttpProbe(
                        StreamableHttpProbe.sharedClient(probe), threads, ProbeKeys.SERVICE, probe, Clock.systemUTC()),
                new ScheduleProperties(INTERVAL, 0.05, 100, Duration.ofMillis(100), Duration.ofSeconds(5)),
                // a cold JVM's first probes take seconds: slowness is not what this test is about
                new VerdictProperties(3, 2, Duration.ofSeconds(10), 2, 10, 2),
                transitions,
                new SimpleMeterRegistry(),
                Clock.systemUTC());
        ProbeTarget target = new ProbeTarget(
                new TargetKey(team, RegistryFeed.MACHINE),
                URI.create(TeamProxy.shared().machineEndpointOf(team, RegistryFeed.MACHINE)),
                1,
                false);
        monitor.track(target, Start.NOW);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> transitions.statuses().contains(HealthStatus.HEALTHY));
        // the break comes right after a probe on the schedule: the worst moment, a whole interval before the next one
        int sessions = server.sessionsOpened();
        await().atMost(INTERVAL.multipliedBy(3)).until(() -> server.sessionsOpened() > sessions);

        server.failToolsList("tool registry unavailable");

        await().atMost(INTERVAL.multipliedBy(2))
                .until(() -> transitions.statuses().contains(HealthStatus.UNHEALTHY));
        assertThat(transitions.statuses()).containsExactly(HealthStatus.HEALTHY, HealthStatus.UNHEALTHY);
        HealthChanged unhealthy = transitions.published().get(1);
        assertThat(unhealthy.failure().kind()).isEqualTo(FailureKind.PROTOCOL);
        assertThat(unhealthy.failure().detail())
                .startsWith("tools/list: ")
                .endsWith("JSON-RPC error -32603: tool registry unavailable");
        assertThat(unhealthy.consecutiveFailures()).isEqualTo(3);
    }
}
