package com.employable.flotilla.provisioner.reconcile;

import static com.employable.flotilla.provisioner.team.ProvisionerPropertiesTest.GATEWAY;
import static com.employable.flotilla.provisioner.team.ProvisionerPropertiesTest.PROBE;
import static com.employable.flotilla.provisioner.team.ProvisionerPropertiesTest.TEAM_DB;

import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.provisioner.fly.FlyModel.IpAssignment;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.fly.FlyProperties;
import com.employable.flotilla.provisioner.health.HealthLedger;
import com.employable.flotilla.provisioner.health.MachineHealth;
import com.employable.flotilla.provisioner.team.Announcement;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.Team;
import com.employable.flotilla.provisioner.team.TeamSpec;
import com.employable.flotilla.provisioner.team.TeamStatus;
import com.employable.flotilla.provisioner.teamdb.TeamDatabaseRoles;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reconcile wired as in the service, against {@link FakeFly}, an in-memory team store (fenced by revision like
 * the table) and an in-memory health ledger. No database, no Spring.
 */
final class ReconcileHarness {

    static final String TEAM = "acme";
    static final String APP = "flotilla-team-acme";
    static final String CREATE_KEY = "ck";
    static final String POOL_ID = "abcdefgh12345678";
    static final String POOL_APP = "flotilla-pool-" + POOL_ID;
    static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    final FakeFly fly = new FakeFly();
    final MemoryStore store = new MemoryStore();
    final MemoryLedger ledger = new MemoryLedger();
    final MemoryWarmApps warmApps = new MemoryWarmApps();
    final ProvisionerProperties properties;
    final TeamSecrets secrets;
    final MachineSpec machineSpec;
    final TeamController controller;

    ReconcileHarness() {
        this(properties());
    }

    ReconcileHarness(ProvisionerProperties properties) {
        this.properties = properties;
        this.secrets = new TeamSecrets(properties);
        var teamDatabase = new TeamDatabaseRoles(properties, null);
        var addresses = TeamAddresses.defaults();
        machineSpec = new MachineSpec(properties, teamDatabase, addresses, secrets);
        var flyProperties = new FlyProperties(
                URI.create("http://fly.invalid"),
                "token",
                "org",
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                1,
                Duration.ofMillis(1),
                Duration.ofSeconds(13));
        var leases = new Leases(fly, flyProperties);
        var states = new MachineStates(fly, properties);
        var reconciler = new TeamReconciler(
                fly,
                new AppReconciler(fly),
                new SecretsReconciler(fly, secrets, teamDatabase, addresses, machineSpec),
                new IpsReconciler(fly, properties, Concurrently.inOrder()),
                new MachinesReconciler(
                        fly,
                        machineSpec,
                        leases,
                        states,
                        properties,
                        new WarmClaim(fly, machineSpec, leases, states, WarmClaimProperties.defaults(), properties)),
                new RunStateReconciler(fly, leases, states),
                new HealthReconciler(fly, leases, ledger, properties),
                ledger,
                teamDatabase,
                addresses,
                warmApps,
                properties,
                Clock.fixed(NOW, ZoneOffset.UTC),
                Concurrently.inOrder());
        controller = new TeamController(store, reconciler);
    }

    static ProvisionerProperties properties() {
        return new ProvisionerProperties(
                "image",
                null,
                null,
                true,
                GATEWAY,
                "",
                PROBE,
                "",
                TEAM_DB,
                new ProvisionerProperties.TeamServer(null, null, null, null, null, null, null),
                4,
                Duration.ofSeconds(60),
                true,
                Duration.ofMinutes(10),
                5,
                0.5,
                Duration.ofMinutes(3),
                Duration.ofSeconds(2),
                Duration.ofMinutes(5),
                Duration.ofSeconds(30),
                Duration.ofMinutes(2),
                3,
                1,
                Duration.ofSeconds(15),
                true);
    }

    static TeamSpec spec(String plan, boolean suspended, boolean deleted, Announcement announce) {
        return new TeamSpec(TEAM, 1, "Acme", plan, "fra", suspended, deleted, APP, CREATE_KEY, announce);
    }

    ReconcileHarness team(TeamSpec spec, TeamStatus status) {
        store.team = new Team(spec, status);
        return this;
    }

    String secretsDigest() {
        return TeamSecrets.digest(secrets.forTeam(TEAM, false));
    }

    /** Fly as a converged starter team left it: its app, secrets, addresses and one started machine in fra. */
    ReconcileHarness convergedFly(TeamSpec spec) {
        fly.withApp(APP, APP);
        fly.secrets.put(APP, new HashMap<>(Map.of("FLOTILLA_PROBE_TOKEN", "set")));
        fly.ips.put(
                APP,
                new ArrayList<>(List.of(
                        new IpAssignment("fdaa::1", null, false, null, "private_v6"),
                        new IpAssignment("1.2.3.4", null, true, null, "shared_v4"),
                        new IpAssignment("2a09::1", null, false, null, "v6"))));
        int machines = properties.plans().get(spec.plan()).machines();
        for (int slot = 0; slot < machines; slot++) {
            fly.put(
                    APP,
                    "started",
                    "fra",
                    machineSpec.config(spec, CREATE_KEY + "-" + slot).metadata());
        }
        return this;
    }

    /**
     * A ready warm-pool entry claimed by the team: its app on its own network, the entry's throw-away secrets, its
     * addresses, and its stopped machine tagged with the entry and no team.
     */
    ReconcileHarness claimedPoolApp() {
        fly.withApp(POOL_APP, POOL_APP);
        fly.secrets.put(
                POOL_APP,
                new HashMap<>(Map.of("FLOTILLA_TEAM_TOKEN_KEY", "placeholder", "FLOTILLA_PROBE_TOKEN", "placeholder")));
        fly.ips.put(
                POOL_APP,
                new ArrayList<>(List.of(
                        new IpAssignment("fdaa::2", null, false, null, "private_v6"),
                        new IpAssignment("1.2.3.5", null, true, null, "shared_v4"),
                        new IpAssignment("2a09::2", null, false, null, "v6"))));
        fly.put(POOL_APP, "stopped", "ams", Map.of(MachineSpec.POOL, POOL_ID));
        warmApps.claimedBy.put(POOL_APP, TEAM);
        return this;
    }

    /** As {@link #claimedPoolApp()}, with a pool machine built for exec claims: suspended, shaped after the pool plan. */
    ReconcileHarness claimedExecPoolApp() {
        claimedPoolApp();
        fly.machinesOf(POOL_APP).forEach(machine -> fly.machines.get(POOL_APP).remove(machine.id()));
        fly.put(
                POOL_APP,
                "suspended",
                "ams",
                Map.of(
                        MachineSpec.POOL,
                        POOL_ID,
                        MachineSpec.POOL_PLAN,
                        WarmClaimProperties.defaults().plan()));
        return this;
    }

    static TeamSpec pooled(TeamSpec spec) {
        return copy(spec, POOL_APP, spec.announce());
    }

    private static TeamSpec copy(TeamSpec spec, String appName, Announcement announce) {
        return new TeamSpec(
                spec.teamId(),
                spec.revision(),
                spec.name(),
                spec.plan(),
                spec.region(),
                spec.suspended(),
                spec.deleted(),
                appName,
                spec.createKey(),
                announce);
    }

    /** The status a converged team has: placed, its secrets written. */
    TeamStatus convergedStatus() {
        return TeamStatus.pending()
                .converged(com.employable.flotilla.provisioner.team.Phase.READY, 1)
                .withPlacedRegion("fra")
                .withSecretsDigest(secretsDigest());
    }

    /** The status of a team whose app and secrets were made, before its first convergence. */
    TeamStatus written() {
        return TeamStatus.pending().withSecretsDigest(secretsDigest());
    }

    Optional<Duration> reconcile() {
        return controller.reconcile(TEAM);
    }

    /** Passes as the scheduler runs them: again while a pass asks to be requeued (at most ten). */
    void settle() {
        for (int pass = 0; pass < 10; pass++) {
            Optional<Duration> again = reconcile();
            if (again.isEmpty() && store.status().nextAttemptAt() == null) {
                return;
            }
        }
    }

    /** The team table, as far as the reconcile sees it, with what was recorded. */
    static final class MemoryStore implements TeamStore {
        Team team;
        final List<TeamStatus> written = new ArrayList<>();
        final List<String> announced = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        final List<List<Machine>> observedMachines = new ArrayList<>();

        @Override
        public Optional<Team> find(String teamId) {
            return Optional.ofNullable(team);
        }

        @Override
        public void progressed(Team reconciled, TeamStatus status) {
            write(reconciled, status);
        }

        @Override
        public void converged(Team reconciled, TeamStatus status, List<Machine> machines, String region) {
            observedMachines.add(machines);
            if (write(reconciled, status.withPlacedRegion(region))
                    && team.spec().announce() != null) {
                announced.add(team.spec().announce().wire() + " " + machines.size() + " machines in " + region);
                // as the team table does: a convergence clears the announcement it made
                team = new Team(copy(team.spec(), team.spec().appName(), null), team.status());
            }
        }

        @Override
        public void deprovisioned(Team reconciled, TeamStatus status) {
            if (write(reconciled, status) && team.spec().announce() == Announcement.DEPROVISIONED) {
                announced.add("deprovisioned");
            }
        }

        @Override
        public void failed(Team reconciled, TeamStatus status, String stage, String error, boolean retryable) {
            write(reconciled, status);
            failures.add(stage + (retryable ? " (retryable): " : ": ") + error);
        }

        private boolean write(Team reconciled, TeamStatus status) {
            if (team.spec().revision() != reconciled.spec().revision()) {
                return false;
            }
            written.add(status);
            team = new Team(team.spec(), status);
            return true;
        }

        TeamStatus status() {
            return team.status();
        }
    }

    /** The pool's record of claims, as far as the reconcile asks it. */
    static final class MemoryWarmApps implements com.employable.flotilla.provisioner.team.WarmApps {
        final Map<String, String> claimedBy = new HashMap<>();

        @Override
        public Optional<String> claim(String teamId, String region) {
            return Optional.empty();
        }

        @Override
        public boolean claimedBy(String teamId, String app) {
            return teamId.equals(claimedBy.get(app));
        }

        @Override
        public void released(String teamId, String app) {
            claimedBy.remove(app, teamId);
        }
    }

    static final class MemoryLedger implements HealthLedger {
        final Map<String, MachineHealth> unhealthy = new HashMap<>();
        final List<String> repairs = new ArrayList<>();

        @Override
        public Map<String, MachineHealth> unhealthy(String teamId, Instant now) {
            return Map.copyOf(unhealthy);
        }

        @Override
        public void restarted(String teamId, String machineId, String reason) {
            repairs.add("restart " + machineId);
        }

        @Override
        public void replaced(String teamId, String machineId, String reason) {
            repairs.add("replace " + machineId);
            unhealthy.remove(machineId);
        }
    }
}
