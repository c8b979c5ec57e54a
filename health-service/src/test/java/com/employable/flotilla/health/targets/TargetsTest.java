package com.employable.flotilla.health.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.registry.RegistryEntry;
import com.employable.flotilla.common.events.registry.RegistryEvent;
import com.employable.flotilla.common.events.registry.RegistryMachine;
import com.employable.flotilla.common.events.registry.ServerStatus;
import com.employable.flotilla.common.events.server.Endpoint;

class TargetsTest {

    static final String PUBLIC_URL = "https://flotilla-acme.fly.dev/mcp";

    static final String PRIVATE_URL = "http://flotilla-acme.flycast/mcp";

    private final List<String> calls = new ArrayList<>();

    private final TargetListener listener = new TargetListener() {
        @Override
        public void track(ProbeTarget target) {
            calls.add("track " + target.key() + " " + target.endpoint() + " v" + target.registryVersion());
        }

        @Override
        public void untrack(TargetKey key, Reason reason) {
            calls.add("untrack " + key + " " + reason);
        }
    };

    private Targets targets(boolean preferPrivate, List<String> allowedHosts) {
        return new Targets(new TargetsProperties(preferPrivate, Set.of("started"), Set.of(ServerStatus.SUSPENDED),
                allowedHosts), listener);
    }

    @Test
    void startedMachinesAreProbedAtThePublishedUrlAndOthersAreNot() {
        Targets targets = targets(false, List.of());

        apply(targets, 0, entry(1, ServerStatus.READY, PUBLIC_URL, PRIVATE_URL, machine("m1", "started"),
                machine("m2", "stopped")));

        assertThat(calls).containsExactly("track acme/m1 " + PUBLIC_URL + " v1", "untrack acme/m2 NOT_PROBED");
        assertThat(targets.team("acme").orElseThrow().machine("m2").orElseThrow().notProbedBecause())
            .isEqualTo("machine is stopped");
    }

    @Test
    void thePrivateUrlIsProbedWhenPreferredAndPublished() {
        apply(targets(true, List.of()), 0, entry(1, ServerStatus.READY, PUBLIC_URL, PRIVATE_URL, machine("m1", "started")));
        apply(targets(true, List.of()), 0, entry(1, ServerStatus.READY, PUBLIC_URL, null, machine("m1", "started")));

        assertThat(calls).containsExactly("track acme/m1 " + PRIVATE_URL + " v1", "track acme/m1 " + PUBLIC_URL + " v1");
    }

    @Test
    void aSuspendedTeamIsNotProbed() {
        Targets targets = targets(false, List.of());

        apply(targets, 0, entry(1, ServerStatus.SUSPENDED, PUBLIC_URL, null, machine("m1", "started")));

        assertThat(calls).containsExactly("untrack acme/m1 NOT_PROBED");
        assertThat(targets.team("acme").orElseThrow().machines().get(0).notProbedBecause()).isEqualTo("team is suspended");
    }

    @Test
    void theHighestVersionWinsAndStaleOrReplayedEntriesAreIgnored() {
        Targets targets = targets(false, List.of());

        apply(targets, 0, entry(2, ServerStatus.READY, PUBLIC_URL, null, machine("m1", "started")));
        apply(targets, 0, entry(1, ServerStatus.READY, "https://old.fly.dev/mcp", null, machine("m1", "started")));
        apply(targets, 0, entry(2, ServerStatus.READY, "https://same-version.fly.dev/mcp", null, machine("m1", "started")));

        assertThat(calls).containsExactly("track acme/m1 " + PUBLIC_URL + " v2");
        assertThat(targets.team("acme").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void aMachineDroppedFromTheEntryIsGone() {
        Targets targets = targets(false, List.of());
        apply(targets, 0, entry(1, ServerStatus.READY, PUBLIC_URL, null, machine("m1", "started"), machine("m2", "started")));
        calls.clear();

        apply(targets, 0, entry(2, ServerStatus.READY, PUBLIC_URL, null, machine("m2", "started")));

        assertThat(calls).containsExactly("untrack acme/m1 GONE", "track acme/m2 " + PUBLIC_URL + " v2");
    }

    @Test
    void aTombstoneRemovesTheTeamAndAnEntryAfterItIsAcceptedWhateverItsVersion() {
        Targets targets = targets(false, List.of());
        apply(targets, 0, entry(5, ServerStatus.READY, PUBLIC_URL, null, machine("m1", "started")));
        calls.clear();

        targets.apply(0, new EventEnvelope<>("ce-2", RegistryEntry.TYPE, "flotilla/registry", Instant.now(), "acme", null));
        assertThat(calls).containsExactly("untrack acme/m1 GONE");
        assertThat(targets.team("acme")).isEmpty();

        apply(targets, 0, entry(1, ServerStatus.PROVISIONING, PUBLIC_URL, null, machine("m9", "started")));
        assertThat(calls).endsWith("track acme/m9 " + PUBLIC_URL + " v1");
    }

    @Test
    void releasedPartitionsTakeTheirTeamsAlong() {
        Targets targets = targets(false, List.of());
        apply(targets, 0, entry(1, ServerStatus.READY, PUBLIC_URL, null, machine("m1", "started")));
        targets.apply(3, new EventEnvelope<>("ce-b", RegistryEntry.TYPE, "flotilla/registry", Instant.now(), "bravo",
                new RegistryEntry("bravo", ServerStatus.READY, 1, new Endpoint(PUBLIC_URL, null, "streamable-http", null),
                        List.of(machine("b1", "started")), "fra", Instant.now())));
        calls.clear();

        targets.release(List.of(3));

        assertThat(calls).containsExactly("untrack bravo/b1 RELEASED");
        assertThat(targets.teams()).extracting(RegisteredTeam::teamId).containsExactly("acme");
    }

    @Test
    void endpointsABearerTokenMustNotGoToAreRefused() {
        assertRefused("ftp://flotilla-acme.fly.dev/mcp", "endpoint must be an http or https URL");
        assertRefused("/mcp", "endpoint must be an http or https URL");
        assertRefused("https://user:pw@flotilla-acme.fly.dev/mcp", "endpoint must not carry credentials");
        assertRefused("https://flotilla-acme.fly.dev/mcp#x", "endpoint must not have a fragment");
        assertRefused("http://[bad/mcp", "endpoint is not a valid URL");
    }

    @Test
    void onlyAllowedHostsAreProbedWhenAllowedHostsAreConfigured() {
        Targets targets = targets(false, List.of("*.fly.dev", "127.0.0.1"));

        apply(targets, 0, entry(1, ServerStatus.READY, PUBLIC_URL, null, machine("m1", "started")));
        apply(targets, 0, entry(1, ServerStatus.READY, "https://attacker.example/mcp", null, machine("m2", "started"))
            .withTeam("evil"));
        apply(targets, 0, entry(1, ServerStatus.READY, "http://127.0.0.1:4281/flotilla-local/mcp", null,
                machine("m3", "started")).withTeam("local"));

        assertThat(calls).containsExactly("track acme/m1 " + PUBLIC_URL + " v1", "untrack evil/m2 NOT_PROBED",
                "track local/m3 http://127.0.0.1:4281/flotilla-local/mcp v1");
        assertThat(targets.team("evil").orElseThrow().machines().get(0).notProbedBecause())
            .isEqualTo("endpoint host attacker.example is not in flotilla.health.targets.allowed-hosts");
    }

    @Test
    void aTeamWithoutEndpointYetIsListedButNotProbed() {
        Targets targets = targets(false, List.of());

        targets.apply(0, new EventEnvelope<>("ce-1", RegistryEntry.TYPE, "flotilla/registry", Instant.now(), "acme",
                new RegistryEntry("acme", ServerStatus.PROVISIONING, 1, null, List.of(machine("m1", "started")), null,
                        Instant.now())));

        assertThat(calls).containsExactly("untrack acme/m1 NOT_PROBED");
        assertThat(targets.team("acme").orElseThrow().machines().get(0).notProbedBecause())
            .isEqualTo("no endpoint published yet");
    }

    @Test
    void malformedHostPatternsAreRejectedAtStartUp() {
        assertThatThrownBy(() -> new TargetsProperties(false, Set.of("started"), Set.of(), List.of("fly.*.dev")))
            .hasMessageContaining("allowed-hosts");
    }

    private void assertRefused(String url, String why) {
        Targets targets = targets(false, List.of());
        apply(targets, 0, entry(1, ServerStatus.READY, url, null, machine("m1", "started")));
        assertThat(targets.team("acme").orElseThrow().machines().get(0).notProbedBecause()).as(url).isEqualTo(why);
    }

    private static RegistryMachine machine(String id, String state) {
        return new RegistryMachine(id, state, HealthStatus.UNKNOWN);
    }

    private static Entry entry(long version, ServerStatus status, String url, String privateUrl,
            RegistryMachine... machines) {
        return new Entry("acme", version, status, url, privateUrl, List.of(machines));
    }

    /** A registry entry under construction, convertible to the envelope the listener receives. */
    private record Entry(String team, long version, ServerStatus status, String url, String privateUrl,
            List<RegistryMachine> machines) {

        Entry withTeam(String other) {
            return new Entry(other, version, status, url, privateUrl, machines);
        }
    }

    private void apply(Targets targets, int partition, Entry entry) {
        targets.apply(partition, envelope(entry));
    }

    private static EventEnvelope<RegistryEvent> envelope(Entry entry) {
        return new EventEnvelope<>("ce-" + entry.team() + "-" + entry.version(), RegistryEntry.TYPE,
                "flotilla/registry", Instant.now(), entry.team(),
                new RegistryEntry(entry.team(), entry.status(), entry.version(),
                        new Endpoint(entry.url(), entry.privateUrl(), "streamable-http", null), entry.machines(), "fra",
                        Instant.now()));
    }
}
