package com.employable.flotilla.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.health.probe.ProbeTokens;
import com.employable.flotilla.health.support.HealthServiceContext;
import com.employable.flotilla.health.support.HealthTopic;
import com.employable.flotilla.health.support.ProbeKeys;
import com.employable.flotilla.health.support.RegistryFeed;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The acceptance scenarios against a kind of MCP server (the real team server, or one built on the SDK): the service
 * learns the target from the registry topic, probes it, and publishes each transition exactly once.
 */
abstract class HealthScenarios extends HealthServiceContext {

    /** A running MCP server for one team. */
    interface TeamServer extends AutoCloseable {

        String endpoint();

        void stop();

        /** Starts again, on the same port. */
        void restart();

        @Override
        void close();
    }

    /** Starts a server for {@code teamId} that accepts the probe token {@code tokens} derive for it. */
    abstract TeamServer start(String teamId, ProbeTokens tokens);

    @Test
    void healthyThenStoppedIsUnhealthyConnectThenRecoveredAndEachTransitionIsPublishedOnce() {
        String team = newTeam("lifecycle");
        try (TeamServer server = start(team, ProbeKeys.SERVICE);
                HealthTopic health = new HealthTopic()) {
            serve(team, server.endpoint());
            RegistryFeed.entry(team, 1, "provisioning", RegistryFeed.MACHINE + ":started");

            HealthChanged healthy = HealthTopic.change(health.await(team, 1).get(0));
            assertThat(healthy.status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(healthy.previous())
                    .as("the first verdict has no previous")
                    .isNull();
            assertThat(healthy.machineId()).isEqualTo(RegistryFeed.MACHINE);
            assertThat(healthy.failure()).isNull();
            assertThat(healthy.consecutiveFailures()).isZero();

            server.stop();
            HealthChanged unhealthy = HealthTopic.change(health.await(team, 2).get(1));
            assertThat(unhealthy.status()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(unhealthy.previous()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(unhealthy.failure().kind()).isEqualTo(FailureKind.CONNECT);
            assertThat(unhealthy.failure().detail()).startsWith("initialize: connection");
            assertThat(unhealthy.consecutiveFailures()).isEqualTo(3);

            server.restart();
            HealthChanged recovered = HealthTopic.change(health.await(team, 3).get(2));
            assertThat(recovered.status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(recovered.previous()).isEqualTo(HealthStatus.UNHEALTHY);

            List<EventEnvelope<?>> all = health.drain(team, Duration.ofMillis(1500));
            assertThat(all)
                    .extracting(e -> HealthTopic.change(e).status())
                    .containsExactly(HealthStatus.HEALTHY, HealthStatus.UNHEALTHY, HealthStatus.HEALTHY);
            assertThat(all).extracting(EventEnvelope::id).doesNotHaveDuplicates();
            assertThat(all).allSatisfy(e -> {
                assertThat(e.source()).isEqualTo("flotilla/health");
                assertThat(e.subject()).isEqualTo(team);
            });
        }
    }

    @Test
    void aServerProvisionedWithAnotherProbeKeyIsUnhealthyAuth() {
        String team = newTeam("wrong-key");
        try (TeamServer server = start(team, ProbeKeys.OTHER);
                HealthTopic health = new HealthTopic()) {
            serve(team, server.endpoint());
            RegistryFeed.entry(team, 1, "provisioning", RegistryFeed.MACHINE + ":started");

            HealthChanged unhealthy = HealthTopic.change(health.await(team, 1).get(0));
            assertThat(unhealthy.status()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(unhealthy.failure().kind()).isEqualTo(FailureKind.AUTH);
            assertThat(unhealthy.failure().detail()).isEqualTo("initialize: probe token refused (HTTP 401)");
            assertThat(health.drain(team, Duration.ofMillis(1500))).hasSize(1);
        }
    }
}
