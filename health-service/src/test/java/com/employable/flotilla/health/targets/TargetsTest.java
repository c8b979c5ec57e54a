package com.employable.flotilla.health.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.registry.RegistryEntry;
import com.employable.flotilla.common.events.registry.RegistryEvent;
import com.employable.flotilla.common.events.registry.RegistryMachine;
import com.employable.flotilla.common.events.registry.ServerStatus;
import com.employable.flotilla.common.events.server.Endpoint;
import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.health.targets.TargetListener.Start;
import com.employable.flotilla.health.targets.TargetsProperties.Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Which machines are probed, and that the address is always the team's derived one. */
class TargetsTest {

    static final String PUBLIC_URL = "https://flotilla-team-acme.fly.dev/mcp";

    static final String PRIVATE_URL = "http://flotilla-team-acme.flycast/mcp";

    static final String MACHINE = "148e21ea7d0589";

    static final String POOL_APP = "flotilla-pool-7kq2m9x4";

    private final List<String> calls = new ArrayList<>();

    private final Map<String, Start> starts = new HashMap<>();

    private final List<ProbeTarget> tracked = new ArrayList<>();

    private final TargetListener listener = new TargetListener() {
        @Override
        public void track(ProbeTarget target, Start start) {
            calls.add("track " + target.key() + " " + target.endpoint() + " v" + target.registryVersion());
            starts.put(target.machineId(), start);
            tracked.add(target);
        }

        @Override
        public void untrack(TargetKey key, Reason reason) {
            calls.add("untrack " + key + " " + reason);
        }
    };

    private Targets targets(Address address) {
        return new Targets(
                new TargetsProperties(address, Set.of("started"), Set.of(ServerStatus.SUSPENDED)),
                TeamAddresses.defaults(),
                listener);
    }

    @Test
    void startedMachinesAreProbedAtTheDerivedUrlAndOthersAreNot() {
        Targets targets = targets(Address.PUBLIC);

        apply(
                targets,
                0,
                entry(
                        1,
                        ServerStatus.READY,
                        PUBLIC_URL,
                        PRIVATE_URL,
                        machine("m1", "started"),
                        machine("m2", "stopped")));

        assertThat(calls).containsExactly("track acme/m1 " + PUBLIC_URL + " v1", "untrack acme/m2 NOT_PROBED");
        assertThat(targets.team("acme")
                        .orElseThrow()
                        .machine("m2")
                        .orElseThrow()
                        .notProbedBecause())
                .isEqualTo("machine is stopped");
    }

    @Test
    void thePrivateAddressIsDerivedToo() {
        apply(
                targets(Address.PRIVATE),
                0,
                entry(1, ServerStatus.READY, PUBLIC_URL, PRIVATE_URL, machine("m1", "started")));
        // an entry need not carry the private URL: the probe's address never came from it
        apply(targets(Address.PRIVATE), 0, entry(1, ServerStatus.READY, PUBLIC_URL, null, machine("m1", "started")));

        assertThat(calls)
                .containsExactly("track acme/m1 " + PRIVATE_URL + " v1", "track acme/m1 " + PRIVATE_URL + " v1");
    }

    @Test
    void aSuspendedTeamIsNotProbed() {
        Targets targets = targets(Address.PUBLIC);

        apply(targets, 0, entry(1, ServerStatus.SUSPENDED, PUBLIC_URL, null, machine("m1", "started")));

        assertThat(calls).containsExactly("untrack acme/m1 NOT_PROBED");
        assertThat(targets.team("acme").orElseThrow().machines().get(0).notProbedBecause())
                .isEqualTo("team is suspended");
    }

    @Test
    void theHighestVersionWinsAndStaleOrReplayedEntriesAreIgnored() {
        Targets targets = targets(Address.PUBLIC);

        apply(targets, 0, entry(2, ServerStatus.READY, PUBLIC_URL, null, machine("m1", "started")));
        apply(targets, 0, entry(1, ServerStatus.READY, PUBLIC_URL, null, machine("m1", "stopped")));
        apply(targets, 0, entry(2, ServerStatus.READY, PUBLIC_URL, null, machine("m2", "started")));

        assertThat(calls).containsExactly("track acme/m1 " + PUBLIC_URL + " v2");
        assertThat(targets.team("acme").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void aMachineDroppedFromTheEntryIsGone() {
        Targets targets = targets(Address.PUBLIC);
        apply(
                targets,
                0,
                entry(1, ServerStatus.READY, PUBLIC_URL, null, machine("m1", "started"), machine("m2", "started")));
        calls.clear();

        apply(targets, 0, entry(2, ServerStatus.READY, PUBLIC_URL, null, machine("m2", "started")));

        assertThat(calls).containsExactly("untrack acme/m1 GONE", "track acme/m2 " + PUBLIC_URL + " v2");
    }

    @Test
    void aTombstoneRemovesTheTeamAndAnEntryAfterItIsAcceptedWhateverItsVersion() {
        Targets targets = targets(Address.PUBLIC);
        apply(targets, 0, entry(5, ServerStatus.READY, PUBLIC_URL, null, machine("m1", "started")));
        calls.clear();

        targets.apply(
                0, new EventEnvelope<>("ce-2", RegistryEntry.TYPE, "flotilla/registry", Instant.now(), "acme", null));
        assertThat(calls).containsExactly("untrack acme/m1 GONE");
        assertThat(targets.team("acme")).isEmpty();

        apply(targets, 0, entry(1, ServerStatus.PROVISIONING, PUBLIC_URL, null, machine("m9", "started")));
        assertThat(calls).endsWith("track acme/m9 " + PUBLIC_URL + " v1");
    }

    @Test
    void releasedPartitionsTakeTheirTeamsAlong() {
        Targets targets = targets(Address.PUBLIC);
        apply(targets, 0, entry(1, ServerStatus.READY, PUBLIC_URL, null, machine("m1", "started")));
        targets.apply(
                3,
                new EventEnvelope<>(
                        "ce-b",
                        RegistryEntry.TYPE,
                        "flotilla/registry",
                        Instant.now(),
                        "bravo",
                        new RegistryEntry(
                                "bravo",
                                ServerStatus.READY,
                                1,
                                new Endpoint("https://flotilla-team-bravo.fly.dev/mcp", null, "streamable-http", null),
                                List.of(machine("b1", "started")),
                                "fra",
                                Instant.now())));
        calls.clear();

        targets.release(List.of(3));

        assertThat(calls).containsExactly("untrack bravo/b1 RELEASED");
        assertThat(targets.teams()).extracting(RegisteredTeam::teamId).containsExactly("acme");
    }

    @Test
    void anEntryPublishingAnotherAddressIsRefusedWholeNamingTheField() {
        Targets targets = targets(Address.PUBLIC);
        apply(targets, 0, entry(1, ServerStatus.READY, PUBLIC_URL, PRIVATE_URL, machine("m1", "started")));
        calls.clear();

        for (String forged : List.of(
                "https://attacker.example/mcp",
                "https://flotilla-team-acme.fly.dev:8443/mcp",
                "https://flotilla-team-acme.fly.dev@attacker.example/mcp",
                "https://flotilla-team-acme.fly.dev.attacker.example/mcp",
                "https://flotilla-team-acme.fly.dev/admin",
                "https://flotilla-team-acme.fly.dev/mcp?next=//attacker.example",
                "http://flotilla-team-acme.fly.dev/mcp",
                "https://user:pw@flotilla-team-acme.fly.dev/mcp",
                "https://flotilla-team-acme.fly.dev/mcp#x",
                "ftp://flotilla-team-acme.fly.dev/mcp",
                "/mcp",
                "http://[bad/mcp",
                "https://flotilla-team-bravo.fly.dev/mcp",
                "https://flotilla-acme.fly.dev/mcp")) {
            assertThatThrownBy(() ->
                            apply(targets, 0, entry(2, ServerStatus.READY, forged, null, machine("m1", "started"))))
                    .as(forged)
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageStartingWith("endpoint.url '")
                    .hasMessageContaining(
                            "is not the address of the team's app flotilla-team-acme (" + PUBLIC_URL + ")");
        }
        assertThatThrownBy(() -> apply(
                        targets,
                        0,
                        entry(
                                2,
                                ServerStatus.READY,
                                PUBLIC_URL,
                                "http://attacker.example/mcp",
                                machine("m1", "started"))))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("endpoint.privateUrl 'http://attacker.example/mcp' is not the address of the team's app "
                        + "flotilla-team-acme (" + PRIVATE_URL + ")");

        assertThat(calls).as("nothing of a refused entry is applied").isEmpty();
        assertThat(targets.team("acme").orElseThrow().version()).isEqualTo(1);
        assertThat(targets.team("acme").orElseThrow().machines().get(0).target().endpoint())
                .hasToString(PUBLIC_URL);
    }

    @Test
    void theSameAddressSpelledDifferentlyIsTheTeamsAndTheDerivedOneIsProbed() {
        Targets targets = targets(Address.PUBLIC);

        apply(
                targets,
                0,
                entry(
                        1,
                        ServerStatus.READY,
                        "HTTPS://Flotilla-Team-Acme.FLY.dev:443/mcp",
                        "http://FLOTILLA-TEAM-ACME.flycast:80/mcp",
                        machine("m1", "started")));

        assertThat(calls).containsExactly("track acme/m1 " + PUBLIC_URL + " v1");
    }

    @Test
    void aTeamIdThatWouldNameAPlatformAppIsRefused() {
        Targets targets = targets(Address.PUBLIC);

        assertThatThrownBy(() -> apply(
                        targets,
                        0,
                        entry(
                                        1,
                                        ServerStatus.READY,
                                        "https://flotilla-team-mcp-server.fly.dev/mcp",
                                        null,
                                        machine("m1", "started"))
                                .withTeam("mcp-server")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("platform app");
        assertThat(calls).isEmpty();
    }

    @Test
    void aTransportOtherThanStreamableHttpIsListedButNotProbed() {
        Targets targets = targets(Address.PUBLIC);

        targets.apply(
                0,
                new EventEnvelope<>(
                        "ce-1",
                        RegistryEntry.TYPE,
                        "flotilla/registry",
                        Instant.now(),
                        "acme",
                        new RegistryEntry(
                                "acme",
                                ServerStatus.READY,
                                1,
                                new Endpoint(PUBLIC_URL, null, "sse", null),
                                List.of(machine("m1", "started")),
                                "fra",
                                Instant.now())));

        assertThat(calls).containsExactly("untrack acme/m1 NOT_PROBED");
        assertThat(targets.team("acme").orElseThrow().machines().get(0).notProbedBecause())
                .isEqualTo("transport 'sse' is not probed (only streamable-http)");
    }

    @Test
    void aTeamWithoutEndpointYetIsListedButNotProbed() {
        Targets targets = targets(Address.PUBLIC);

        targets.apply(
                0,
                new EventEnvelope<>(
                        "ce-1",
                        RegistryEntry.TYPE,
                        "flotilla/registry",
                        Instant.now(),
                        "acme",
                        new RegistryEntry(
                                "acme",
                                ServerStatus.PROVISIONING,
                                1,
                                null,
                                List.of(machine("m1", "started")),
                                null,
                                Instant.now())));

        assertThat(calls).containsExactly("untrack acme/m1 NOT_PROBED");
        assertThat(targets.team("acme").orElseThrow().machines().get(0).notProbedBecause())
                .isEqualTo("no endpoint published yet");
    }

    @Test
    void byDefaultEachStartedMachineIsProbedStraightAtItsOwnAddressAndNoOtherMachineIsProbed() {
        TargetsProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("flotilla.health.targets", TargetsProperties.class);
        assertThat(defaults.address()).isEqualTo(Address.MACHINE);
        Targets targets = new Targets(defaults, TeamAddresses.defaults(), listener);

        apply(
                targets,
                0,
                entry(
                        1,
                        ServerStatus.READY,
                        PUBLIC_URL,
                        PRIVATE_URL,
                        machine(MACHINE, "started"),
                        machine("3d8d9e1a0c4f72", "stopped"),
                        machine("5b7c0d2e4f6a81", "suspended")));

        assertThat(calls)
                .containsExactly(
                        "track acme/" + MACHINE + " http://" + MACHINE + ".vm.flotilla-team-acme.internal:8080/mcp v1",
                        "untrack acme/3d8d9e1a0c4f72 NOT_PROBED",
                        "untrack acme/5b7c0d2e4f6a81 NOT_PROBED");
        assertThat(tracked.get(0).throughProxy())
                .as("no proxy to route it: no fly-force-instance-id")
                .isFalse();
        assertThat(targets.team("acme")
                        .orElseThrow()
                        .machine("5b7c0d2e4f6a81")
                        .orElseThrow()
                        .notProbedBecause())
                .isEqualTo("machine is suspended");
    }

    @Test
    void aWarmPoolAppTheEntryNamesIsProbedAtItsOwnMachinesAndAddresses() {
        Targets direct = targets(Address.MACHINE);
        Targets proxied = targets(Address.PUBLIC);
        Entry pooled = entry(
                        1,
                        ServerStatus.READY,
                        "https://" + POOL_APP + ".fly.dev/mcp",
                        "http://" + POOL_APP + ".flycast/mcp",
                        machine(MACHINE, "started"))
                .inApp(POOL_APP);

        apply(direct, 0, pooled);
        apply(proxied, 0, pooled);

        assertThat(calls)
                .containsExactly(
                        "track acme/" + MACHINE + " http://" + MACHINE + ".vm." + POOL_APP + ".internal:8080/mcp v1",
                        "track acme/" + MACHINE + " https://" + POOL_APP + ".fly.dev/mcp v1");
        assertThat(tracked.get(1).throughProxy()).isTrue();
        assertThat(direct.team("acme").orElseThrow().app()).isEqualTo(POOL_APP);
    }

    @Test
    void anEntryNamingAnAppThatIsNeitherTheTeamsNorAPoolAppIsRefusedWholeNamingTheField() {
        Targets targets = targets(Address.MACHINE);
        apply(targets, 0, entry(1, ServerStatus.READY, PUBLIC_URL, null, machine(MACHINE, "started")));
        calls.clear();

        for (String forged : List.of(
                "flotilla-team-bravo",
                "flotilla-billing-service",
                "attacker",
                "flotilla-pool-",
                "flotilla-pool-short",
                "flotilla-pool-abcd1234.attacker.example",
                "FLOTILLA-POOL-ABCD1234")) {
            assertThatThrownBy(() -> apply(
                            targets,
                            0,
                            entry(
                                            2,
                                            ServerStatus.READY,
                                            "https://" + forged + ".fly.dev/mcp",
                                            null,
                                            machine(MACHINE, "started"))
                                    .inApp(forged)))
                    .as(forged)
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageStartingWith("app '" + forged + "' is neither the team's app flotilla-team-acme");
        }
        // a pool app is the team's only with the pool app's own address
        assertThatThrownBy(() -> apply(
                        targets,
                        0,
                        entry(2, ServerStatus.READY, PUBLIC_URL, null, machine(MACHINE, "started"))
                                .inApp(POOL_APP)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("endpoint.url '" + PUBLIC_URL + "' is not the address of the team's app " + POOL_APP
                        + " (https://" + POOL_APP + ".fly.dev/mcp)");

        assertThat(calls).as("nothing of a refused entry is applied").isEmpty();
        assertThat(targets.team("acme").orElseThrow().app()).isEqualTo("flotilla-team-acme");
    }

    @Test
    void aMachineIdThatCouldNameAnotherHostIsRefusedWholeWhenMachinesAreProbedDirectly() {
        Targets targets = targets(Address.MACHINE);

        for (String forged : List.of("attacker.example", "a/b", MACHINE + ".vm.flotilla-team-bravo", "m1")) {
            assertThatThrownBy(() -> apply(
                            targets,
                            0,
                            entry(
                                    1,
                                    ServerStatus.READY,
                                    PUBLIC_URL,
                                    null,
                                    machine(MACHINE, "started"),
                                    new RegistryMachine(forged, "stopped", HealthStatus.UNKNOWN))))
                    .as(forged)
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageStartingWith("machines[].machineId '")
                    .hasMessageEndingWith("' is not a Fly machine id");
        }
        assertThat(calls).isEmpty();
        assertThat(targets.team("acme")).isEmpty();
    }

    @Test
    void inFlyChecksModeEachStartedMachineIsReadAtItsResourceInTheMachinesApi() {
        TargetsProperties flyChecks = new Binder(
                        new MapConfigurationPropertySource(Map.of("flotilla.health.targets.address", "fly-checks")))
                .bindOrCreate("flotilla.health.targets", TargetsProperties.class);
        assertThat(flyChecks.address()).isEqualTo(Address.FLY_CHECKS);
        Targets targets = new Targets(
                flyChecks, TeamAddresses.defaults(), java.net.URI.create("http://127.0.0.1:4280/"), listener);

        apply(
                targets,
                0,
                entry(
                        1,
                        ServerStatus.READY,
                        PUBLIC_URL,
                        PRIVATE_URL,
                        machine(MACHINE, "started"),
                        machine("3d8d9e1a0c4f72", "stopped")));

        assertThat(calls)
                .containsExactly(
                        "track acme/" + MACHINE + " http://127.0.0.1:4280/v1/apps/flotilla-team-acme/machines/"
                                + MACHINE + " v1",
                        "untrack acme/3d8d9e1a0c4f72 NOT_PROBED");
        assertThat(tracked.get(0).app()).isEqualTo("flotilla-team-acme");
        assertThat(tracked.get(0).throughProxy()).isFalse();
        // the machine id becomes part of an API path: only a Fly machine id is accepted
        assertThatThrownBy(() -> apply(
                        targets,
                        0,
                        entry(
                                2,
                                ServerStatus.READY,
                                PUBLIC_URL,
                                null,
                                new RegistryMachine("../../other-app", "started", HealthStatus.UNKNOWN))))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageEndingWith("' is not a Fly machine id");
    }

    @Test
    void aRegistrationAWakeAndAResumeAreProbedAtOnceAndEverythingElseAtItsSlot() {
        Targets targets = targets(Address.MACHINE);

        apply(targets, 0, entry(1, ServerStatus.PROVISIONING, PUBLIC_URL, null, machine(MACHINE, "started")));
        assertThat(starts.get(MACHINE)).as("registered").isEqualTo(Start.NOW);

        apply(targets, 0, entry(2, ServerStatus.READY, PUBLIC_URL, null, judged(MACHINE, "started")));
        assertThat(starts.get(MACHINE)).as("still started").isEqualTo(Start.ON_SCHEDULE);

        apply(targets, 0, entry(3, ServerStatus.IDLE, PUBLIC_URL, null, judged(MACHINE, "stopped")));
        apply(targets, 0, entry(4, ServerStatus.READY, PUBLIC_URL, null, judged(MACHINE, "started")));
        assertThat(starts.get(MACHINE)).as("woken").isEqualTo(Start.NOW);

        apply(targets, 0, entry(5, ServerStatus.SUSPENDED, PUBLIC_URL, null, judged(MACHINE, "started")));
        apply(targets, 0, entry(6, ServerStatus.READY, PUBLIC_URL, null, judged(MACHINE, "started")));
        assertThat(starts.get(MACHINE)).as("resumed").isEqualTo(Start.NOW);

        // another instance (or this one after a restart) reading the same team: probed at its slot
        apply(targets(Address.MACHINE), 0, entry(6, ServerStatus.READY, PUBLIC_URL, null, judged(MACHINE, "started")));
        assertThat(starts.get(MACHINE)).as("read again").isEqualTo(Start.ON_SCHEDULE);
        assertThat(calls)
                .filteredOn(call -> call.startsWith("untrack"))
                .containsExactly("untrack acme/" + MACHINE + " NOT_PROBED", "untrack acme/" + MACHINE + " NOT_PROBED");
    }

    private static RegistryMachine machine(String id, String state) {
        return new RegistryMachine(id, state, HealthStatus.UNKNOWN);
    }

    private static RegistryMachine judged(String id, String state) {
        return new RegistryMachine(id, state, HealthStatus.HEALTHY);
    }

    private static Entry entry(
            long version, ServerStatus status, String url, String privateUrl, RegistryMachine... machines) {
        return new Entry("acme", null, version, status, url, privateUrl, List.of(machines));
    }

    /** A registry entry under construction, convertible to the envelope the listener receives. */
    private record Entry(
            String team,
            String app,
            long version,
            ServerStatus status,
            String url,
            String privateUrl,
            List<RegistryMachine> machines) {

        Entry withTeam(String other) {
            return new Entry(other, app, version, status, url, privateUrl, machines);
        }

        Entry inApp(String other) {
            return new Entry(team, other, version, status, url, privateUrl, machines);
        }
    }

    private void apply(Targets targets, int partition, Entry entry) {
        targets.apply(partition, envelope(entry));
    }

    private static EventEnvelope<RegistryEvent> envelope(Entry entry) {
        return new EventEnvelope<>(
                "ce-" + entry.team() + "-" + entry.version(),
                RegistryEntry.TYPE,
                "flotilla/registry",
                Instant.now(),
                entry.team(),
                new RegistryEntry(
                        entry.team(),
                        entry.status(),
                        entry.version(),
                        new Endpoint(entry.url(), entry.privateUrl(), "streamable-http", null),
                        entry.machines(),
                        "fra",
                        Instant.now(),
                        entry.app()));
    }
}
