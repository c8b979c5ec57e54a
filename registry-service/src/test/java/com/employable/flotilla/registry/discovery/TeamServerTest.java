package com.employable.flotilla.registry.discovery;

import static com.employable.flotilla.registry.discovery.ServerEvents.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.events.health.HealthEvent;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.registry.ServerStatus;
import com.employable.flotilla.common.events.server.Endpoint;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.registry.support.TeamFront;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TeamServerTest {

    private static final String PROTOCOL = "2025-11-25";

    private final ServerEvents acme = new ServerEvents("acme-sales");

    @Test
    void theEntryStatesTheEndpointDerivedFromTheTeamIdNeverTheOneAnEventCarries() {
        var elsewhere = new Endpoint(
                "https://attacker.example/mcp", "http://attacker.internal/mcp", Endpoint.STREAMABLE_HTTP, null);

        ServerView view = view(deliver(acme.provisioned(1, 1, elsewhere, "m1")));

        assertThat(view.endpoint().url()).isEqualTo(TeamFront.addresses().endpointUrl("acme-sales"));
        assertThat(view.endpoint().privateUrl()).isEqualTo(TeamFront.addresses().privateEndpointUrl("acme-sales"));
        assertThat(view.app()).isEqualTo("flotilla-team-acme-sales");
    }

    @Test
    void aProvisionedServerWithoutAVerdictIsProvisioningAndShowsWhereItAnswers() {
        ServerView view = view(deliver(acme.provisioned(1, 1, "m1")));

        assertThat(view.status()).isEqualTo(ServerStatus.PROVISIONING);
        assertThat(view.app()).isEqualTo("flotilla-team-acme-sales");
        assertThat(view.region()).isEqualTo("fra");
        assertThat(view.endpoint().url())
                .isEqualTo("http://127.0.0.1:" + TeamFront.port() + "/flotilla-team-acme-sales/mcp");
        assertThat(view.endpoint().privateUrl()).isEqualTo("http://flotilla-team-acme-sales.flycast/mcp");
        assertThat(view.endpoint().protocolVersion())
                .as("stated by the registry when the provisioner did not")
                .isEqualTo(PROTOCOL);
        assertThat(view.machines()).singleElement().satisfies(m -> {
            assertThat(m.machineId()).isEqualTo("m1");
            assertThat(m.state()).isEqualTo("started");
            assertThat(m.health()).isEqualTo(HealthStatus.UNKNOWN);
        });
    }

    @Test
    void aHealthyMachineMakesItReady() {
        ServerView view = view(deliver(acme.provisioned(1, 1, "m1"), acme.health("m1", HealthStatus.HEALTHY, 2)));

        assertThat(view.status()).isEqualTo(ServerStatus.READY);
        assertThat(view.machines().get(0).healthCheckedAt()).isEqualTo(at(2));
        assertThat(view.machines().get(0).probeLatencyMs()).isEqualTo(40L);
    }

    @Test
    void anOlderVerdictDoesNotOverrideANewerOne() {
        TeamServer state = deliver(acme.provisioned(1, 1, "m1"), acme.health("m1", HealthStatus.HEALTHY, 5));

        TeamServer.Change late = state.apply(acme.health("m1", HealthStatus.UNHEALTHY, 3));

        assertThat(late.stale()).isTrue();
        assertThat(view(late.state()).status()).isEqualTo(ServerStatus.READY);
    }

    @Test
    void aFailureBeforeTheFirstSuccessIsFailedEvenWhenRetried() {
        ServerView view = view(deliver(acme.failed(1, true, 1)));

        assertThat(view.status()).isEqualTo(ServerStatus.FAILED);
        assertThat(view.endpoint()).isNull();
        assertThat(view.failure().retryable()).isTrue();
        assertThat(view.failure().nextAttemptAt()).isEqualTo(at(60));
    }

    @Test
    void aSuccessAfterFailedAttemptsOfTheSameRevisionWinsWhateverTheOrder() {
        var failure = new Delivery(acme.failed(1, true, 1), at(1));
        var success = new Delivery(acme.provisioned(1, 2, "m1"), at(2));
        var healthy = new Delivery(acme.health("m1", HealthStatus.HEALTHY, 3), at(3));

        assertThat(view(replay(List.of(failure, success, healthy))).status()).isEqualTo(ServerStatus.READY);
        assertThat(view(replay(List.of(healthy, success, failure))).status()).isEqualTo(ServerStatus.READY);
        assertThat(view(replay(List.of(healthy, success, failure))).failure()).isNull();
    }

    @Test
    void aRetryableFailureAfterASuccessLeavesTheRunningServerAlone() {
        ServerView view = view(replay(List.of(
                new Delivery(acme.provisioned(1, 1, "m1"), at(1)),
                new Delivery(acme.health("m1", HealthStatus.HEALTHY, 2), at(2)),
                new Delivery(acme.failed(2, true, 1), at(3)))));

        assertThat(view.status()).isEqualTo(ServerStatus.READY);
        assertThat(view.failure()).as("the failure is still shown").isNotNull();
        assertThat(view.endpoint()).isNotNull();
    }

    @Test
    void aNonRetryableFailureAfterASuccessIsFailedButKeepsTheEndpoint() {
        ServerView view = view(replay(List.of(
                new Delivery(acme.provisioned(1, 1, "m1"), at(1)),
                new Delivery(acme.health("m1", HealthStatus.HEALTHY, 2), at(2)),
                new Delivery(acme.failed(2, false, 1), at(3)))));

        assertThat(view.status()).isEqualTo(ServerStatus.FAILED);
        assertThat(view.endpoint()).isNotNull();
    }

    @Test
    void aPlanChangeFailureDeliveredBeforeTheProvisioningItFollowsStillKnowsTheServerRuns() {
        ServerView view = view(replay(List.of(
                new Delivery(acme.failed(2, true, 1), at(3)),
                new Delivery(acme.health("m1", HealthStatus.HEALTHY, 2), at(2)),
                new Delivery(acme.provisioned(1, 1, "m1"), at(1)))));

        assertThat(view.status()).isEqualTo(ServerStatus.READY);
        assertThat(view.endpoint()).isNotNull();
    }

    @Test
    void suspendedUntilResumed() {
        TeamServer suspended = deliver(
                acme.provisioned(1, 1, "m1"),
                acme.health("m1", HealthStatus.HEALTHY, 2),
                acme.suspended(3, 10),
                acme.machine("m1", "started", "stopped", 10));

        assertThat(view(suspended).status()).isEqualTo(ServerStatus.SUSPENDED);
        assertThat(view(suspended).endpoint()).as("still known, not usable").isNotNull();
        TeamServer resumed = suspended.apply(acme.resumed(4, 20), at(20)).state();
        assertThat(view(resumed).status())
                .as("resumed, its machine still stopped: asleep, healthy when last probed")
                .isEqualTo(ServerStatus.IDLE);
        assertThat(view(resumed.apply(acme.machine("m1", "stopped", "started", 21), at(21))
                                .state())
                        .status())
                .isEqualTo(ServerStatus.READY);
        assertThat(suspended.apply(acme.resumed(2, 20), at(20)).stale())
                .as("a resume of an older revision")
                .isTrue();
    }

    @Test
    void aDeprovisionedTeamHasNoEntryAndOlderEventsDoNotBringItBack() {
        TeamServer gone = deliver(acme.provisioned(1, 1, "m1"), acme.deprovisioned(5, 30));

        assertThat(gone.view(PROTOCOL, TeamFront.addresses())).isEmpty();
        TeamServer afterLateEvents = replay(
                gone,
                List.of(
                        new Delivery(acme.provisioned(1, 1, "m1"), at(1)),
                        new Delivery(acme.updated(4, 25, "m1"), at(25)),
                        new Delivery(acme.resumed(4, 26), at(26)),
                        new Delivery(acme.machine("m1", "stopped", "started", 31), at(31)),
                        new Delivery(acme.health("m1", HealthStatus.HEALTHY, 32), at(32))));
        assertThat(afterLateEvents.view(PROTOCOL, TeamFront.addresses())).isEmpty();
    }

    @Test
    void aTeamCreatedAgainAfterDeprovisioningComesBackWithOnlyItsNewMachines() {
        TeamServer reborn =
                deliver(acme.provisioned(1, 1, "m1"), acme.deprovisioned(5, 30), acme.provisioned(6, 40, "m2"));

        ServerView view = view(reborn);
        assertThat(view.status()).isEqualTo(ServerStatus.PROVISIONING);
        assertThat(view.machines()).extracting(ServerView.Machine::machineId).containsExactly("m2");
    }

    @Test
    void verdictsAloneMakeNoEntry() {
        assertThat(deliver(acme.health("m1", HealthStatus.HEALTHY, 1)).view(PROTOCOL, TeamFront.addresses()))
                .isEmpty();
    }

    @Test
    void machinesSeenBeforeTheProvisionedEventMakeAProvisioningEntryWithoutEndpoint() {
        ServerView view =
                view(deliver(acme.machine("m1", null, "created", 1), acme.machine("m1", "created", "starting", 2)));

        assertThat(view.status()).isEqualTo(ServerStatus.PROVISIONING);
        assertThat(view.endpoint()).isNull();
        assertThat(view.machines())
                .singleElement()
                .extracting(ServerView.Machine::state)
                .isEqualTo("starting");
    }

    @Test
    void aPlanChangeReplacesTheMachinesOfThePreviousShape() {
        TeamServer updated = deliver(
                acme.provisioned(1, 1, "m1", "m2"),
                acme.health("m1", HealthStatus.HEALTHY, 2),
                acme.health("m2", HealthStatus.HEALTHY, 2),
                acme.updated(2, 10, "m3"),
                acme.machine("m3", null, "started", 12));

        assertThat(view(updated).machines())
                .extracting(ServerView.Machine::machineId)
                .containsExactly("m3");
        assertThat(view(updated).status()).as("m3 not probed yet").isEqualTo(ServerStatus.PROVISIONING);
    }

    @Test
    void aMachineCreatedAfterTheDeploymentIsListed() {
        TeamServer grown = deliver(acme.provisioned(1, 1, "m1"), acme.machine("m2", null, "created", 5));

        assertThat(view(grown).machines())
                .extracting(ServerView.Machine::machineId)
                .containsExactly("m1", "m2");
    }

    @Test
    void aDestroyedMachineLeavesTheServer() {
        TeamServer shrunk = deliver(
                acme.provisioned(1, 1, "m1", "m2"),
                acme.health("m1", HealthStatus.HEALTHY, 2),
                acme.health("m2", HealthStatus.UNHEALTHY, 2),
                acme.machine("m2", "stopping", "destroyed", 5));

        assertThat(view(shrunk).machines())
                .extracting(ServerView.Machine::machineId)
                .containsExactly("m1");
        assertThat(view(shrunk).status()).isEqualTo(ServerStatus.READY);
    }

    @Test
    void aServerAsleepAfterAHealthyVerdictIsIdleAndReadyAgainWhenItWakes() {
        TeamServer idle = deliver(
                acme.provisioned(1, 1, "m1"),
                acme.health("m1", HealthStatus.HEALTHY, 2),
                acme.machine("m1", "started", "stopped", 30));

        assertThat(view(idle).status()).isEqualTo(ServerStatus.IDLE);
        assertThat(view(idle).machines().get(0).state()).isEqualTo("stopped");
        assertThat(view(idle).machines().get(0).health())
                .as("it keeps its verdict")
                .isEqualTo(HealthStatus.HEALTHY);
        TeamServer awake =
                idle.apply(acme.machine("m1", "stopped", "started", 40), at(40)).state();
        assertThat(view(awake).status()).isEqualTo(ServerStatus.READY);
    }

    @Test
    void aSleepingServerIsNeverUnhealthyBecauseAProbeMetItAsleep() {
        TeamServer idle = deliver(
                acme.provisioned(1, 1, "m1"),
                acme.health("m1", HealthStatus.HEALTHY, 2),
                acme.machine("m1", "started", "suspended", 30),
                acme.health("m1", HealthStatus.UNHEALTHY, 31));

        assertThat(view(idle).status()).isEqualTo(ServerStatus.IDLE);
    }

    @Test
    void aServerThatBrokeWhileAwakeStaysUnhealthyWhenItGoesToSleep() {
        TeamServer broken = deliver(
                acme.provisioned(1, 1, "m1"),
                acme.health("m1", HealthStatus.HEALTHY, 2),
                acme.health("m1", HealthStatus.UNHEALTHY, 20),
                acme.machine("m1", "started", "stopped", 30));

        assertThat(view(broken).status()).isEqualTo(ServerStatus.UNHEALTHY);
    }

    @Test
    void aServerInAClaimedPoolAppIsPublishedWithThatAppAndTheEndpointDerivedFromIt() {
        String pool = TeamFront.addresses().poolAppName("k3x9w2q8");
        var claimed = acme.inApp(pool);

        ServerView view = view(deliver(claimed.provisioned(1, 1, "m1"), claimed.health("m1", HealthStatus.HEALTHY, 2)));

        assertThat(view.status()).isEqualTo(ServerStatus.READY);
        assertThat(view.app()).isEqualTo("flotilla-pool-k3x9w2q8");
        assertThat(view.endpoint().url())
                .isEqualTo("http://127.0.0.1:" + TeamFront.port() + "/flotilla-pool-k3x9w2q8/mcp");
        assertThat(view.endpoint().privateUrl()).isEqualTo("http://flotilla-pool-k3x9w2q8.flycast/mcp");
        assertThat(view.toEntry(7, at(3)).app()).isEqualTo("flotilla-pool-k3x9w2q8");
    }

    @Test
    void aTeamCreatedAgainFromThePoolMovesToItsNewApp() {
        var claimed = acme.inApp(TeamFront.addresses().poolAppName("n4b7c1d0"));

        ServerView view = view(
                deliver(acme.provisioned(1, 1, "m1"), acme.deprovisioned(5, 30), claimed.provisioned(6, 40, "m2")));

        assertThat(view.app()).isEqualTo("flotilla-pool-n4b7c1d0");
        assertThat(view.endpoint().url()).contains("/flotilla-pool-n4b7c1d0/mcp");
    }

    @Test
    void aReplayedEventIsStale() {
        TeamServer state = deliver(acme.provisioned(1, 1, "m1"));

        assertThat(state.apply(acme.provisioned(1, 1, "m1"), at(1)).stale()).isTrue();
    }

    /**
     * The contract the registry depends on to rebuild from the topics: a team's whole history, delivered in any
     * order with any event repeated, gives the very same state and entry.
     */
    @Test
    void anyOrderWithDuplicatesGivesTheSameState() {
        List<Delivery> history = history();
        TeamServer expected = replay(history);
        ServerView expectedView = view(expected);
        assertThat(expectedView.status()).isEqualTo(ServerStatus.DEGRADED);
        assertThat(expectedView.machines())
                .extracting(ServerView.Machine::machineId)
                .containsExactly("m3", "m4");

        var random = new Random(20261124);
        for (int run = 0; run < 500; run++) {
            List<Delivery> shuffled = new ArrayList<>(history);
            for (int copy = random.nextInt(5); copy > 0; copy--) {
                shuffled.add(history.get(random.nextInt(history.size())));
            }
            Collections.shuffle(shuffled, random);

            TeamServer state = replay(shuffled);

            assertThat(state).as("run %d: %s", run, shuffled).isEqualTo(expected);
            assertThat(view(state)).isEqualTo(expectedView);
        }
    }

    @Test
    void theStateSurvivesItsJsonColumnExactly() {
        TeamServer state = replay(history());

        String json = com.employable.flotilla.common.cloudevents.EventJson.MAPPER.writeValueAsString(state);
        TeamServer read = com.employable.flotilla.common.cloudevents.EventJson.MAPPER.readValue(json, TeamServer.class);

        assertThat(read).isEqualTo(state);
        assertThat(read.apply(acme.updated(4, 30, "m3", "m4"), at(30)).stale()).isTrue();
    }

    private List<Delivery> history() {
        return List.of(
                new Delivery(acme.machine("m1", null, "created", 1), at(1)),
                new Delivery(acme.failed(1, true, 1), at(2)),
                new Delivery(acme.machine("m1", "created", "started", 3), at(3)),
                new Delivery(acme.provisioned(1, 4, "m1"), at(4)),
                new Delivery(acme.health("m1", HealthStatus.HEALTHY, 5), at(5)),
                new Delivery(acme.suspended(2, 10), at(10)),
                new Delivery(acme.machine("m1", "started", "stopped", 10), at(10)),
                new Delivery(acme.resumed(3, 20), at(20)),
                new Delivery(acme.machine("m1", "stopped", "started", 20), at(20)),
                new Delivery(acme.machine("m3", null, "started", 29), at(29)),
                new Delivery(acme.machine("m4", null, "started", 29), at(29)),
                new Delivery(acme.updated(4, 30, "m3", "m4"), at(30)),
                new Delivery(acme.machine("m1", "started", "destroyed", 31), at(31)),
                new Delivery(acme.health("m3", HealthStatus.HEALTHY, 32), at(32)),
                new Delivery(acme.health("m4", HealthStatus.HEALTHY, 32), at(32)),
                new Delivery(acme.health("m4", HealthStatus.UNHEALTHY, 40), at(40)),
                new Delivery(acme.failed(5, true, 2), at(41)));
    }

    private TeamServer deliver(Object... events) {
        List<Delivery> deliveries = new ArrayList<>();
        for (Object event : events) {
            Instant time = event instanceof com.employable.flotilla.common.events.health.HealthChanged h
                    ? h.checkedAt()
                    : at(deliveries.size());
            deliveries.add(new Delivery(event, time));
        }
        return replay(deliveries);
    }

    private TeamServer replay(List<Delivery> deliveries) {
        return replay(TeamServer.empty(acme.teamId()), deliveries);
    }

    private static TeamServer replay(TeamServer start, List<Delivery> deliveries) {
        TeamServer state = start;
        for (Delivery delivery : deliveries) {
            state = delivery.event() instanceof HealthEvent health
                    ? state.apply(health).state()
                    : state.apply((ServerLifecycleEvent) delivery.event(), delivery.ceTime())
                            .state();
        }
        return state;
    }

    private static ServerView view(TeamServer state) {
        Optional<ServerView> view = state.view(PROTOCOL, TeamFront.addresses());
        assertThat(view).isPresent();
        return view.get();
    }

    /** An event as delivered, with the {@code ce_time} it carried. */
    record Delivery(Object event, Instant ceTime) {

        @Override
        public String toString() {
            return event.getClass().getSimpleName() + "@" + ceTime;
        }
    }
}
