package com.employable.flotilla.provisioner.reconcile;

import static com.employable.flotilla.provisioner.reconcile.ReconcileHarness.APP;
import static com.employable.flotilla.provisioner.reconcile.ReconcileHarness.NOW;
import static com.employable.flotilla.provisioner.reconcile.ReconcileHarness.POOL_APP;
import static com.employable.flotilla.provisioner.reconcile.ReconcileHarness.pooled;
import static com.employable.flotilla.provisioner.reconcile.ReconcileHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.provisioner.health.MachineHealth;
import com.employable.flotilla.provisioner.team.Announcement;
import com.employable.flotilla.provisioner.team.Condition;
import com.employable.flotilla.provisioner.team.Phase;
import com.employable.flotilla.provisioner.team.Team;
import com.employable.flotilla.provisioner.team.TeamSpec;
import com.employable.flotilla.provisioner.team.TeamStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reconcile, table-driven: for each observed state of Fly (and of the team), the Fly calls it makes, in order,
 * and the status it writes, the announcement it makes and when it wants to run again.
 */
class TeamReconcileTest {

    private static final List<String> OBSERVE = List.of("GET app", "GET ips", "GET machines");
    private static final TeamSpec STARTER = spec("starter", false, false, null);
    private static final TeamSpec NEW_STARTER = spec("starter", false, false, Announcement.PROVISIONED);

    record Case(
            String name,
            Consumer<ReconcileHarness> given,
            List<String> calls,
            BiConsumer<ReconcileHarness, Optional<Duration>> then) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(
                        "app missing: created on its own network, then in the same pass its secrets and addresses"
                                + " (at once), and its machine",
                        h -> h.team(NEW_STARTER, TeamStatus.pending()),
                        List.of(
                                "GET app",
                                "POST app",
                                "POST secrets",
                                "POST ip private_v6",
                                "POST ip shared_v4",
                                "POST ip v6",
                                "POST machine fra",
                                "GET wait m1 started"),
                        (h, again) -> {
                            assertThat(again).contains(Duration.ZERO);
                            assertThat(h.fly.apps.get(APP).network()).isEqualTo(APP);
                            assertThat(h.fly.secrets.get(APP))
                                    .containsKeys("FLOTILLA_TEAM_TOKEN_KEY", "FLOTILLA_PROBE_TOKEN");
                            assertThat(h.fly.ips.get(APP)).hasSize(3);
                            assertThat(h.store.status().secretsDigest()).isEqualTo(h.secretsDigest());
                            assertThat(h.store.status().conditions())
                                    .containsExactly(
                                            condition("app", "CHANGED"),
                                            condition("secrets", "CHANGED"),
                                            condition("ips", "CHANGED"),
                                            condition("machines", "CHANGED"));
                            assertThat(h.store.announced).isEmpty();
                        }),
                new Case(
                        "app taken by an earlier create whose answer was lost: adopted, observed again",
                        h -> {
                            h.team(NEW_STARTER, TeamStatus.pending()).fly.withApp(APP, APP);
                            h.fly.hideAppOnce();
                        },
                        List.of("GET app", "POST app", "GET app"),
                        (h, again) -> {
                            assertThat(again).contains(Duration.ZERO);
                            assertThat(h.store.status().conditions()).containsExactly(condition("app", "CHANGED"));
                        }),
                new Case(
                        "app on another network: never used, failed for good",
                        h -> h.team(NEW_STARTER, TeamStatus.pending()).fly.withApp(APP, "default"),
                        OBSERVE,
                        (h, again) -> {
                            assertThat(again).isEmpty();
                            assertThat(h.store.failures)
                                    .containsExactly("app: app " + APP + " is on network 'default', not its own");
                            assertThat(h.store.status().phase()).isEqualTo(Phase.FAILED);
                            assertThat(h.store.status().nextAttemptAt()).isNull();
                        }),
                new Case(
                        "secrets differ from those last written: rewritten, then converged",
                        h -> h.team(STARTER, h.convergedStatus().withSecretsDigest("old"))
                                .convergedFly(STARTER),
                        concat(OBSERVE, "POST secrets"),
                        (h, again) -> {
                            assertThat(again).isEmpty();
                            assertThat(h.store.status().secretsDigest()).isEqualTo(h.secretsDigest());
                            assertThat(h.store.status().phase()).isEqualTo(Phase.READY);
                        }),
                new Case(
                        "addresses missing: a Flycast private_v6 in its network and the public ones",
                        h -> h.team(STARTER, h.convergedStatus())
                                .convergedFly(STARTER)
                                .fly
                                .ips
                                .remove(APP),
                        concat(OBSERVE, "POST ip private_v6", "POST ip shared_v4", "POST ip v6"),
                        (h, again) -> {
                            assertThat(again).isEmpty();
                            assertThat(h.store.status().phase()).isEqualTo(Phase.READY);
                            assertThat(h.store.status().conditions()).contains(condition("ips", "CHANGED"));
                        }),
                new Case(
                        "machine missing: created in the team's region, seen started, observed again",
                        h -> h.team(NEW_STARTER, h.written())
                                .convergedFly(NEW_STARTER)
                                .fly
                                .machines
                                .clear(),
                        concat(OBSERVE, "POST machine fra", "GET wait m2 started"),
                        (h, again) -> {
                            assertThat(again).contains(Duration.ZERO);
                            assertThat(h.store.status().placedRegion()).isEqualTo("fra");
                            assertThat(h.fly.machinesOf(APP))
                                    .singleElement()
                                    .satisfies(machine -> assertThat(machine.metadata())
                                            .containsEntry(MachineSpec.CREATE_KEY, "ck-0"));
                            assertThat(h.store.announced).isEmpty();
                        }),
                new Case(
                        "machine spec differs: updated under a lease, waited for once",
                        h -> {
                            h.team(STARTER, h.convergedStatus()).convergedFly(STARTER);
                            var metadata =
                                    new TreeMap<>(h.fly.machinesOf(APP).get(0).metadata());
                            metadata.put(MachineSpec.SPEC, "legacy");
                            h.fly.machines.get(APP).clear();
                            h.fly.put(APP, "started", "fra", metadata);
                        },
                        concat(OBSERVE, "POST lease m2", "POST update m2", "DELETE lease m2", "GET wait m2 started"),
                        (h, again) -> {
                            assertThat(again).contains(Duration.ZERO);
                            assertThat(h.fly.machinesOf(APP).get(0).metadata().get(MachineSpec.SPEC))
                                    .isNotEqualTo("legacy");
                        }),
                new Case(
                        "machine spec differs while it is still starting: updated to come back up, not left stopped",
                        h -> {
                            h.team(STARTER, h.convergedStatus()).convergedFly(STARTER);
                            var metadata =
                                    new TreeMap<>(h.fly.machinesOf(APP).get(0).metadata());
                            metadata.put(MachineSpec.SPEC, "legacy");
                            h.fly.machines.get(APP).clear();
                            h.fly.put(APP, "starting", "fra", metadata);
                        },
                        concat(OBSERVE, "POST lease m2", "POST update m2", "DELETE lease m2", "GET wait m2 started"),
                        (h, again) -> {
                            assertThat(again).contains(Duration.ZERO);
                            assertThat(h.fly.machinesOf(APP).get(0).state()).isEqualTo("started");
                        }),
                new Case(
                        "surplus machine: destroyed under a lease",
                        h -> h.team(STARTER, h.convergedStatus())
                                .convergedFly(STARTER)
                                .fly
                                .put(APP, "started", "fra", Map.of()),
                        concat(OBSERVE, "POST lease m2", "DELETE machine m2", "DELETE lease m2"),
                        (h, again) -> {
                            assertThat(again).contains(Duration.ZERO);
                            assertThat(h.fly.machinesOf(APP))
                                    .extracting(machine -> machine.id())
                                    .containsExactly("m1");
                        }),
                new Case(
                        "suspended team on a plan that idles to suspend: its machine is suspended",
                        h -> {
                            TeamSpec suspended = spec("starter", true, false, Announcement.SUSPENDED);
                            h.team(suspended, h.convergedStatus()).convergedFly(suspended);
                        },
                        concat(
                                OBSERVE,
                                "POST lease m1",
                                "POST suspend m1",
                                "DELETE lease m1",
                                "GET wait m1 suspended,stopped"),
                        (h, again) -> {
                            assertThat(again).contains(Duration.ZERO);
                            assertThat(h.store.announced).isEmpty();
                        }),
                new Case(
                        "suspended team whose machine is still starting (a plan change's update): waited for, then"
                                + " suspended, never asked to suspend mid-start",
                        h -> {
                            TeamSpec suspended = spec("starter", true, false, Announcement.SUSPENDED);
                            h.team(suspended, h.convergedStatus()).convergedFly(suspended);
                            h.fly.setState(APP, "m1", "starting");
                        },
                        concat(OBSERVE, "GET wait m1 started,stopped,suspended"),
                        (h, again) -> {
                            assertThat(h.fly.machinesOf(APP).get(0).state()).isEqualTo("starting");
                            assertThat(h.store.status().phase()).isNotEqualTo(Phase.FAILED);
                        }),
                new Case(
                        "a machine that moved between observation and action (412 from its current state): retried"
                                + " later, the team is not failed",
                        h -> {
                            TeamSpec suspended = spec("starter", true, false, Announcement.SUSPENDED);
                            h.team(suspended, h.convergedStatus()).convergedFly(suspended);
                            h.fly.failNext(
                                    "POST suspend",
                                    412,
                                    null,
                                    "unable to suspend machine from current state: 'replacing'");
                        },
                        concat(OBSERVE, "POST lease m1", "POST suspend m1", "DELETE lease m1"),
                        (h, again) -> {
                            assertThat(h.store.status().phase()).isNotEqualTo(Phase.FAILED);
                            assertThat(h.store.status().nextAttemptAt()).isAfter(NOW);
                        }),
                new Case(
                        "suspended team whose machines rest: converged and announced",
                        h -> {
                            TeamSpec suspended = spec("team", true, false, Announcement.SUSPENDED);
                            h.team(suspended, h.convergedStatus()).convergedFly(suspended);
                            h.fly.setState(APP, "m1", "stopped");
                        },
                        OBSERVE,
                        (h, again) -> {
                            assertThat(h.store.status().phase()).isEqualTo(Phase.SUSPENDED);
                            assertThat(h.store.announced).containsExactly("suspended 1 machines in fra");
                        }),
                new Case(
                        "resumed team: every machine started right away",
                        h -> {
                            TeamSpec resumed = spec("business", false, false, Announcement.RESUMED);
                            h.team(resumed, h.convergedStatus()).convergedFly(resumed);
                            h.fly.setState(APP, "m1", "stopped");
                            h.fly.setState(APP, "m2", "stopped");
                        },
                        concat(
                                OBSERVE,
                                "POST lease m1",
                                "POST start m1",
                                "DELETE lease m1",
                                "POST lease m2",
                                "POST start m2",
                                "DELETE lease m2",
                                "GET wait m1 started",
                                "GET wait m2 started"),
                        (h, again) -> assertThat(again).contains(Duration.ZERO)),
                new Case(
                        "running team below the plan's minimum: one kept warm, the rest wakes on demand",
                        h -> {
                            TeamSpec business = spec("business", false, false, null);
                            h.team(business, h.convergedStatus()).convergedFly(business);
                            h.fly.setState(APP, "m1", "stopped");
                            h.fly.setState(APP, "m2", "stopped");
                        },
                        concat(OBSERVE, "POST lease m1", "POST start m1", "DELETE lease m1", "GET wait m1 started"),
                        (h, again) -> assertThat(again).contains(Duration.ZERO)),
                new Case(
                        "a machine still starting: requeued to look again, no blocking wait",
                        h -> {
                            h.team(NEW_STARTER, h.written())
                                    .convergedFly(NEW_STARTER)
                                    .fly
                                    .machines
                                    .clear();
                            h.fly.startSlowly();
                        },
                        concat(OBSERVE, "POST machine fra", "GET wait m2 started"),
                        (h, again) -> {
                            assertThat(again).contains(MachineStates.RECHECK);
                            assertThat(h.store.status().conditions()).contains(condition("machines", "WAITING"));
                            assertThat(h.store.status().placedRegion()).isEqualTo("fra");
                        }),
                new Case(
                        "ambiguous create (408): the machine is found by its create key, never created twice",
                        h -> {
                            h.team(NEW_STARTER, h.written())
                                    .convergedFly(NEW_STARTER)
                                    .fly
                                    .machines
                                    .clear();
                            h.fly.loseNextCreateAnswer();
                        },
                        concat(OBSERVE, "POST machine fra", "GET machines by ck-0", "GET wait m2 started"),
                        (h, again) -> {
                            assertThat(again).contains(Duration.ZERO);
                            assertThat(h.fly.machinesOf(APP)).hasSize(1);
                            assertThat(h.store.failures).isEmpty();
                        }),
                new Case(
                        "no capacity in the team's region: the next region of its group",
                        h -> {
                            h.team(NEW_STARTER, h.written())
                                    .convergedFly(NEW_STARTER)
                                    .fly
                                    .machines
                                    .clear();
                            h.fly.fullRegions.add("fra");
                        },
                        concat(OBSERVE, "POST machine fra", "POST machine ams", "GET wait m2 started"),
                        (h, again) -> {
                            assertThat(h.store.status().placedRegion()).isEqualTo("ams");
                            assertThat(h.fly.machinesOf(APP))
                                    .singleElement()
                                    .satisfies(machine ->
                                            assertThat(machine.region()).isEqualTo("ams"));
                        }),
                new Case(
                        "no capacity in the whole group: a retryable failure, never a region outside it",
                        h -> {
                            h.team(NEW_STARTER, h.written())
                                    .convergedFly(NEW_STARTER)
                                    .fly
                                    .machines
                                    .clear();
                            h.fly.fullRegions.addAll(List.of("fra", "ams", "cdg", "arn"));
                        },
                        concat(OBSERVE, "POST machine fra", "POST machine ams", "POST machine cdg", "POST machine arn"),
                        (h, again) -> {
                            assertThat(again).isEmpty();
                            assertThat(h.store.failures)
                                    .singleElement()
                                    .asString()
                                    .startsWith("machines (retryable): no capacity in region group eu");
                            assertThat(h.store.status().phase()).isEqualTo(Phase.PENDING);
                            assertThat(h.store.status().attempts()).isEqualTo(1);
                            assertThat(h.store.status().nextAttemptAt()).isAfter(NOW);
                            assertThat(h.fly.machinesOf(APP)).isEmpty();
                        }),
                new Case(
                        "lease held by someone else (409): requeued, nothing changed",
                        h -> {
                            h.team(STARTER, h.convergedStatus()).convergedFly(STARTER);
                            h.fly.setState(APP, "m1", "stopped");
                            var metadata =
                                    new TreeMap<>(h.fly.machinesOf(APP).get(0).metadata());
                            metadata.put(MachineSpec.SPEC, "legacy");
                            h.fly.machines.get(APP).clear();
                            h.fly.put(APP, "started", "fra", metadata);
                            h.fly.leasedBySomeoneElse.add("m2");
                        },
                        concat(OBSERVE, "POST lease m2"),
                        (h, again) -> {
                            assertThat(again).contains(Duration.ofSeconds(2));
                            assertThat(h.fly.machinesOf(APP).get(0).metadata().get(MachineSpec.SPEC))
                                    .isEqualTo("legacy");
                            assertThat(h.store.failures).isEmpty();
                            assertThat(h.store.status().phase()).isEqualTo(Phase.READY);
                            assertThat(h.store.status().attempts()).isZero();
                        }),
                new Case(
                        "deleted team: its app deleted, status deleted, deprovisioning announced",
                        h -> {
                            TeamSpec deleted = spec("starter", false, true, Announcement.DEPROVISIONED);
                            h.team(deleted, h.convergedStatus()).convergedFly(deleted);
                        },
                        List.of("DELETE app"),
                        (h, again) -> {
                            assertThat(h.fly.apps).isEmpty();
                            assertThat(h.store.status().phase()).isEqualTo(Phase.DELETED);
                            assertThat(h.store.announced).containsExactly("deprovisioned");
                        }),
                new Case(
                        "stale revision: a newer event arrived during the reconcile, its result is dropped",
                        h -> {
                            h.team(NEW_STARTER, h.written()).convergedFly(NEW_STARTER);
                            h.fly.onCall =
                                    () -> h.store.team = new Team(NEW_STARTER.withRevision(2), TeamStatus.pending());
                        },
                        OBSERVE,
                        (h, again) -> {
                            assertThat(again).contains(Duration.ZERO);
                            assertThat(h.store.written).isEmpty();
                            assertThat(h.store.announced).isEmpty();
                        }),
                new Case(
                        "everything in place: converged, announced once with its machines",
                        h -> h.team(
                                        NEW_STARTER,
                                        TeamStatus.pending()
                                                .withPlacedRegion("fra")
                                                .withSecretsDigest(h.secretsDigest()))
                                .convergedFly(NEW_STARTER),
                        OBSERVE,
                        (h, again) -> {
                            assertThat(again).isEmpty();
                            assertThat(h.store.announced).containsExactly("provisioned 1 machines in fra");
                            assertThat(h.store.status().phase()).isEqualTo(Phase.READY);
                            assertThat(h.store.status().observedRevision()).isEqualTo(1L);
                            assertThat(h.store.status().conditions())
                                    .extracting(Condition::state)
                                    .hasSize(6)
                                    .containsOnly(Condition.State.IN_SYNC);
                        }),
                new Case(
                        "machine unhealthy past the restart threshold: restarted under a lease",
                        h -> {
                            h.team(STARTER, h.convergedStatus()).convergedFly(STARTER);
                            h.ledger.unhealthy.put("m1", new MachineHealth("m1", NOW.minusSeconds(60), null, 0));
                        },
                        concat(OBSERVE, "POST lease m1", "POST restart m1", "DELETE lease m1"),
                        (h, again) -> {
                            assertThat(again).contains(Duration.ZERO);
                            assertThat(h.ledger.repairs).containsExactly("restart m1");
                        }),
                new Case(
                        "machine still unhealthy after its restart: destroyed for a replacement",
                        h -> {
                            h.team(STARTER, h.convergedStatus()).convergedFly(STARTER);
                            h.ledger.unhealthy.put(
                                    "m1", new MachineHealth("m1", NOW.minusSeconds(600), NOW.minusSeconds(180), 1));
                        },
                        concat(OBSERVE, "POST lease m1", "DELETE machine m1", "DELETE lease m1"),
                        (h, again) -> {
                            assertThat(again).contains(Duration.ZERO);
                            assertThat(h.ledger.repairs).containsExactly("replace m1");
                            assertThat(h.fly.machinesOf(APP)).isEmpty();
                        }),
                new Case(
                        "machine unhealthy, restart not due yet: converged, reconciled again when due",
                        h -> {
                            h.team(STARTER, h.convergedStatus()).convergedFly(STARTER);
                            h.ledger.unhealthy.put("m1", new MachineHealth("m1", NOW.minusSeconds(10), null, 0));
                        },
                        OBSERVE,
                        (h, again) -> {
                            assertThat(again).contains(Duration.ofSeconds(20));
                            assertThat(h.store.status().phase()).isEqualTo(Phase.READY);
                            assertThat(h.ledger.repairs).isEmpty();
                        }),
                new Case(
                        "machine repaired as often as allowed this hour: left alone",
                        h -> {
                            h.team(STARTER, h.convergedStatus()).convergedFly(STARTER);
                            h.ledger.unhealthy.put("m1", new MachineHealth("m1", NOW.minusSeconds(600), null, 3));
                        },
                        OBSERVE,
                        (h, again) -> {
                            assertThat(again).isEmpty();
                            assertThat(h.ledger.repairs).isEmpty();
                        }),
                new Case(
                        "team awaiting its create: nothing to do until the event",
                        h -> h.team(STARTER, TeamStatus.pending().withPhase(Phase.AWAITING_CREATE)),
                        List.of(),
                        (h, again) -> {
                            assertThat(again).isEmpty();
                            assertThat(h.store.written).isEmpty();
                        }));
    }

    /** A team on a claimed warm-pool app: the reconcile owns the app from the claim on. */
    static Stream<Case> poolCases() {
        TeamSpec claimed = pooled(NEW_STARTER);
        return Stream.of(
                new Case(
                        "claimed pool app: the team's secrets replace the entry's, its machine gets the team's config by"
                                + " one update that starts it, no create; read again, the pass converges",
                        h -> h.team(claimed, TeamStatus.pending()).claimedPoolApp(),
                        concat(
                                OBSERVE,
                                "POST secrets",
                                "POST lease m1",
                                "POST update m1",
                                "DELETE lease m1",
                                "GET wait m1 started",
                                "GET machines"),
                        (h, again) -> {
                            assertThat(h.store.status().phase()).isEqualTo(Phase.READY);
                            assertThat(h.store.announced).containsExactly("provisioned 1 machines in ams");
                            assertThat(h.fly.secrets.get(POOL_APP))
                                    .containsEntry(
                                            "FLOTILLA_TEAM_TOKEN_KEY",
                                            h.secrets.forTeam("acme", false).get("FLOTILLA_TEAM_TOKEN_KEY"))
                                    .doesNotContainValue("placeholder");
                            assertThat(h.fly.machinesOf(POOL_APP))
                                    .singleElement()
                                    .satisfies(machine -> {
                                        assertThat(machine.state()).isEqualTo("started");
                                        assertThat(machine.metadata())
                                                .containsEntry(MachineSpec.TEAM, "acme")
                                                .containsEntry(MachineSpec.CREATE_KEY, "ck-0")
                                                .doesNotContainKey(MachineSpec.POOL);
                                        assertThat(machine.config().env())
                                                .containsEntry("FLOTILLA_TEAM_ID", "acme")
                                                .containsEntry(
                                                        "FLOTILLA_RESOURCE_URL",
                                                        "https://" + POOL_APP + ".fly.dev/mcp");
                                    });
                            // placed where the warm machine is (inside the team's residency group)
                            assertThat(h.store.status().placedRegion()).isEqualTo("ams");
                            assertThat(h.fly.apps).doesNotContainKey(APP);
                        }),
                new Case(
                        "claimed pool app, personalised: converged and announced, nothing more asked of Fly",
                        h -> {
                            h.team(claimed, TeamStatus.pending()).claimedPoolApp();
                            h.reconcile();
                        },
                        OBSERVE,
                        (h, again) -> {
                            assertThat(again).isEmpty();
                            assertThat(h.store.announced).containsExactly("provisioned 1 machines in ams");
                            assertThat(h.store.status().phase()).isEqualTo(Phase.READY);
                        }),
                new Case(
                        "claimed pool app whose machine vanished: a machine is created in the pool app, never a second"
                                + " app",
                        h -> h.team(claimed, TeamStatus.pending())
                                .claimedPoolApp()
                                .fly
                                .machines
                                .get(POOL_APP)
                                .clear(),
                        concat(OBSERVE, "POST secrets", "POST machine fra", "GET wait m2 started"),
                        (h, again) -> {
                            assertThat(again).contains(Duration.ZERO);
                            assertThat(h.fly.machinesOf(POOL_APP)).hasSize(1);
                            assertThat(h.fly.apps).containsOnlyKeys(POOL_APP);
                        }),
                new Case(
                        "claimed pool app of a suspended team: configured by the update and left stopped",
                        h -> h.team(
                                        pooled(spec("starter", true, false, Announcement.PROVISIONED)),
                                        TeamStatus.pending())
                                .claimedPoolApp(),
                        concat(OBSERVE, "POST secrets", "POST lease m1", "POST update m1", "DELETE lease m1"),
                        (h, again) -> {
                            assertThat(again).contains(Duration.ZERO);
                            assertThat(h.fly.machinesOf(POOL_APP))
                                    .singleElement()
                                    .satisfies(machine -> {
                                        assertThat(machine.state()).isEqualTo("stopped");
                                        assertThat(machine.metadata()).containsEntry(MachineSpec.TEAM, "acme");
                                    });
                        }),
                new Case(
                        "a row naming a pool app this team did not claim: never acted on",
                        h -> h.team(claimed, TeamStatus.pending())
                                .claimedPoolApp()
                                .warmApps
                                .claimedBy
                                .put(POOL_APP, "someone-else"),
                        List.of(),
                        (h, again) -> {
                            assertThat(again).isEmpty();
                            assertThat(h.store.failures)
                                    .singleElement()
                                    .asString()
                                    .contains("derives to " + APP);
                            assertThat(h.fly.machinesOf(POOL_APP).get(0).metadata())
                                    .doesNotContainKey(MachineSpec.TEAM);
                        }),
                new Case(
                        "deleted team on its claimed pool app: the app is destroyed, never returned to the pool",
                        h -> h.team(
                                        pooled(spec("starter", false, true, Announcement.DEPROVISIONED)),
                                        TeamStatus.pending())
                                .claimedPoolApp(),
                        List.of("DELETE app"),
                        (h, again) -> {
                            assertThat(h.fly.apps).doesNotContainKey(POOL_APP);
                            assertThat(h.store.announced).containsExactly("deprovisioned");
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"cases", "poolCases"})
    void reconcile(Case example) {
        var harness = new ReconcileHarness();
        example.given().accept(harness);
        harness.fly.calls.clear();

        Optional<Duration> again = harness.reconcile();

        assertThat(harness.fly.calls).as("Fly calls").containsExactlyElementsOf(example.calls());
        example.then().accept(harness, again);
    }

    private static Condition condition(String resource, String state) {
        return new Condition(resource, Condition.State.valueOf(state));
    }

    private static List<String> concat(List<String> first, String... then) {
        return Stream.concat(first.stream(), Stream.of(then)).toList();
    }
}
