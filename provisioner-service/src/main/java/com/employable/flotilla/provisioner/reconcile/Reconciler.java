package com.employable.flotilla.provisioner.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.employable.flotilla.common.teams.TeamAddresses;

import com.employable.flotilla.provisioner.fly.FlyApiException;
import com.employable.flotilla.provisioner.fly.FlyApps;
import com.employable.flotilla.provisioner.fly.FlyIps;
import com.employable.flotilla.provisioner.fly.FlyMachines;
import com.employable.flotilla.provisioner.fly.FlyModel.App;
import com.employable.flotilla.provisioner.fly.FlyModel.Autostop;
import com.employable.flotilla.provisioner.fly.FlyModel.CreateMachineRequest;
import com.employable.flotilla.provisioner.fly.FlyModel.IpAssignment;
import com.employable.flotilla.provisioner.fly.FlyModel.Lease;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.fly.FlyModel.MachineConfig;
import com.employable.flotilla.provisioner.fly.FlyProperties;
import com.employable.flotilla.provisioner.fly.FlySecrets;
import com.employable.flotilla.provisioner.team.DesiredStateService;
import com.employable.flotilla.provisioner.team.Plan;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.RegionGroups;
import com.employable.flotilla.provisioner.team.Team;
import com.employable.flotilla.provisioner.team.TeamRepository;
import com.employable.flotilla.provisioner.teamdb.TeamDatabaseRoles;

/**
 * Level-triggered: reads the team's desired state and what exists on Fly (found by name and by flotilla metadata),
 * and converges one step after another. Every step is idempotent and safe to repeat after a crash at any point, so
 * the same code serves a new event, a retry, a restart and the periodic resync. Runs for one team at a time (the
 * scheduler guarantees it).
 */
@Component
public class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    /** Attempts at a non-idempotent create before the reconcile gives up for now (each looks the result up first). */
    private static final int CREATE_ATTEMPTS = 5;

    private final TeamRepository teams;
    private final FlyApps apps;
    private final FlyMachines machines;
    private final FlySecrets secrets;
    private final FlyIps ips;
    private final MachineSpec spec;
    private final TeamSecrets teamSecrets;
    private final TeamDatabaseRoles teamDatabase;
    private final MachineObserver observer;
    private final Outcomes outcomes;
    private final ProvisionerProperties properties;
    private final FlyProperties fly;
    private final TeamAddresses addresses;
    private final RegionGroups regionGroups;
    private final Clock clock;

    Reconciler(TeamRepository teams, FlyApps apps, FlyMachines machines, FlySecrets secrets, FlyIps ips,
               MachineSpec spec, TeamSecrets teamSecrets, TeamDatabaseRoles teamDatabase, MachineObserver observer,
               Outcomes outcomes, ProvisionerProperties properties, FlyProperties fly, TeamAddresses addresses,
               Clock clock) {
        this.teams = teams;
        this.apps = apps;
        this.machines = machines;
        this.secrets = secrets;
        this.ips = ips;
        this.spec = spec;
        this.teamSecrets = teamSecrets;
        this.teamDatabase = teamDatabase;
        this.observer = observer;
        this.outcomes = outcomes;
        this.properties = properties;
        this.fly = fly;
        this.addresses = addresses;
        this.regionGroups = properties.residency();
        this.clock = clock;
    }

    /** A step failed in a way worth reporting with its stage. */
    static final class StepFailure extends RuntimeException {
        final boolean retryable;

        StepFailure(String message, boolean retryable) {
            super(message, null, false, false);
            this.retryable = retryable;
        }
    }

    public void reconcile(String teamId) {
        Optional<Team> found = teams.find(teamId);
        if (found.isEmpty()) {
            return;
        }
        Team team = found.get();
        if (DesiredStateService.AWAITING_CREATE.equals(team.status()) || "deleted".equals(team.status())
                || ("failed".equals(team.status()) && team.nextAttemptAt() == null)) {
            // terminal failures wait for a new event (or an operator) instead of hammering Fly
            return;
        }
        String[] stage = {"start"};
        try {
            requireTeamApp(team);
            if (team.deleted()) {
                deprovision(team, stage);
                return;
            }
            stage[0] = "app";
            boolean newApp = ensureApp(team);
            stage[0] = "secrets";
            // a recreated app (deleted out of band) has none of the secrets the stored digest speaks of
            ensureSecrets(team, newApp);
            stage[0] = "ips";
            ensureIps(team);
            stage[0] = "machines";
            // Fly lists machines at 1 request/s per app: list once, and again only after a change
            List<Machine> current = ours(team);
            Placement placement = ensureMachines(team, current);
            if (placement.changed()) {
                current = ours(team);
            }
            stage[0] = "run-state";
            if (ensureRunState(team, current)) {
                current = ours(team);
            }
            stage[0] = "observe";
            String region = placement.region();
            observer.observe(team.teamId(), team.appName(), current);
            outcomes.converged(team, current, region);
        } catch (RuntimeException e) {
            failed(team, stage[0], e);
        }
    }

    private void deprovision(Team team, String[] stage) {
        stage[0] = "delete-app";
        apps.delete(team.appName());
        observer.allDestroyed(team.teamId());
        if (teamDatabase.enabled()) {
            stage[0] = "drop-database-role";
            teamDatabase.dropRole(team.teamId());
        }
        outcomes.deprovisioned(team);
        log.info("Team {} deprovisioned: app {} deleted", team.teamId(), team.appName());
    }

    /**
     * The app a team row names must be exactly the one its id derives to under the configured prefix and outside the
     * reserved platform names: a row from elsewhere (an older prefix, a restore, a hand edit) never makes the
     * provisioner adopt, change or delete another app.
     */
    private void requireTeamApp(Team team) {
        String derived;
        try {
            derived = addresses.appName(team.teamId());
        } catch (RuntimeException refused) {
            throw new StepFailure(refused.getMessage(), false);
        }
        if (!derived.equals(team.appName())) {
            throw new StepFailure("team row names app " + team.appName() + " but team " + team.teamId()
                    + " derives to " + derived + " (flotilla.teams.app-prefix changed?)", false);
        }
    }

    /** @return whether the app had to be created */
    private boolean ensureApp(Team team) {
        String name = team.appName();
        Optional<App> app = apps.get(name);
        boolean created = app.isEmpty();
        if (created) {
            try {
                apps.create(name, name);
                log.info("Created app {} with its own network for team {}", name, team.teamId());
            } catch (FlyApiException e) {
                // a repeat of a create whose answer was lost comes back name_taken: read what is there
                if (!(e.status() == 422 || "name_taken".equals(e.flyStatus()) || e.ambiguous())) {
                    throw e;
                }
            }
            app = apps.get(name);
            if (app.isEmpty()) {
                throw new StepFailure("app name " + name + " is taken outside this organization", false);
            }
        }
        String network = app.get().network();
        if (!name.equals(network)) {
            // an app on a shared network would reach other teams' servers: never run a team there
            throw new StepFailure("app " + name + " is on network '" + network + "', not its own", false);
        }
        return created;
    }

    private void ensureSecrets(Team team, boolean newApp) {
        Map<String, String> values = teamSecrets.forTeam(team.teamId(), teamDatabase.enabled());
        String digest = TeamSecrets.digest(values);
        // the machines' spec carries this digest too, so machines are updated (and restarted with these) afterwards
        if (!newApp && digest.equals(team.secretsDigest())) {
            return;
        }
        if (teamDatabase.enabled()) {
            teamDatabase.ensureRole(team.teamId(), teamSecrets.databasePassword(team.teamId()));
        }
        secrets.set(team.appName(), values);
        teams.secretsWritten(team.teamId(), digest);
    }

    private void ensureIps(Team team) {
        String app = team.appName();
        List<IpAssignment> assigned = ips.list(app);
        if (assigned.stream().noneMatch(Reconciler::isPrivate)) {
            assignIp(app, "private_v6", app, ip -> isPrivate(ip));
        }
        if (properties.publicIps()) {
            if (assigned.stream().noneMatch(ip -> Boolean.TRUE.equals(ip.shared()) || "shared_v4".equals(ip.type()))) {
                assignIp(app, "shared_v4", null, ip -> Boolean.TRUE.equals(ip.shared()) || "shared_v4".equals(ip.type()));
            }
            if (assigned.stream().noneMatch(ip -> isPublicV6(ip))) {
                assignIp(app, "v6", null, Reconciler::isPublicV6);
            }
        }
    }

    /** IP assignment is not idempotent on the wire: after an unclear answer, look before asking again. */
    private void assignIp(String app, String type, String network, java.util.function.Predicate<IpAssignment> is) {
        for (int attempt = 1; ; attempt++) {
            try {
                ips.assign(app, type, network);
                return;
            } catch (FlyApiException e) {
                if (!e.retryable() || attempt >= CREATE_ATTEMPTS) {
                    throw e;
                }
                if (ips.list(app).stream().anyMatch(is)) {
                    return;
                }
                pause(attempt);
            }
        }
    }

    private static boolean isPrivate(IpAssignment ip) {
        return "private_v6".equals(ip.type()) || (ip.ip() != null && ip.ip().startsWith("fdaa"));
    }

    private static boolean isPublicV6(IpAssignment ip) {
        return "v6".equals(ip.type()) || (ip.type() == null && ip.ip() != null && ip.ip().contains(":")
                && !ip.ip().startsWith("fdaa") && !Boolean.TRUE.equals(ip.shared()));
    }

    /** Where the team's machines run, and whether this reconcile changed any of them. */
    record Placement(String region, boolean changed) {
    }

    private Placement ensureMachines(Team team, List<Machine> existing) {
        Plan plan = spec.plan(team);
        String app = team.appName();
        String region = team.targetRegion();
        boolean changed = false;
        var keep = new ArrayList<Machine>();
        for (int slot = 0; slot < plan.machines(); slot++) {
            String key = team.createKey() + "-" + slot;
            MachineConfig desired = spec.config(team, key);
            Optional<Machine> machine = existing.stream()
                    .filter(m -> key.equals(m.metadata().get(MachineSpec.CREATE_KEY))).findFirst();
            if (machine.isEmpty()) {
                Machine created = create(team, key, desired);
                region = created.region();
                keep.add(created);
                changed = true;
            } else {
                Machine current = machine.get();
                region = current.region();
                if (!MachineSpec.sameSpec(desired, current.metadata())) {
                    boolean running = "started".equals(current.state());
                    withLease(app, current.id(), nonce -> machines.update(app, current.id(), desired, !running, nonce));
                    changed = true;
                    log.info("Updated machine {} of team {} to plan {}", current.id(), team.teamId(), team.plan());
                    if (running) {
                        awaitState(app, current.id(), "started");
                    }
                }
                keep.add(current);
            }
        }
        for (Machine extra : existing) {
            if (keep.stream().noneMatch(kept -> kept.id().equals(extra.id()))) {
                withLease(app, extra.id(), nonce -> machines.destroy(app, extra.id(), nonce));
                log.info("Destroyed surplus machine {} of team {}", extra.id(), team.teamId());
                changed = true;
            }
        }
        if (!Objects.equals(region, team.placedRegion())) {
            teams.placed(team.teamId(), region);
        }
        return new Placement(region, changed);
    }

    /**
     * Creates the machine for one slot. Creates are not idempotent: a create that fails ambiguously may have made the
     * machine, so the unique create key is looked up before every retry and a found machine is adopted. Capacity
     * failures move on through the fallback regions.
     */
    private Machine create(Team team, String key, MachineConfig desired) {
        String app = team.appName();
        List<String> regions;
        try {
            // residency: capacity fallback never leaves the team's region group
            regions = regionGroups.candidates(team.region(), team.placedRegion());
        } catch (IllegalArgumentException noGroup) {
            throw new StepFailure(noGroup.getMessage(), false);
        }
        FlyApiException lastCapacity = null;
        for (String region : regions) {
            for (int attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
                try {
                    Machine machine = machines.create(app, new CreateMachineRequest(null, region, desired,
                            team.suspended() ? Boolean.TRUE : null, null));
                    log.info("Created machine {} in {} for team {}", machine.id(), machine.region(), team.teamId());
                    return afterCreate(team, machine);
                } catch (FlyApiException e) {
                    if (e.capacity()) {
                        lastCapacity = e;
                        log.warn("No capacity in {} for team {}: {}", region, team.teamId(), e.getMessage());
                        break;
                    }
                    if (!e.retryable()) {
                        throw e;
                    }
                    Optional<Machine> adopted = machines.list(app, Map.of(MachineSpec.CREATE_KEY, key)).stream()
                            .findFirst();
                    if (adopted.isPresent()) {
                        log.info("Adopted machine {} of an ambiguous create for team {}", adopted.get().id(),
                                team.teamId());
                        return afterCreate(team, adopted.get());
                    }
                    if (attempt == CREATE_ATTEMPTS) {
                        throw e;
                    }
                    pause(attempt);
                }
            }
        }
        throw new StepFailure("no capacity in region group " + regionGroups.groupOf(team.region()).orElse("?")
                + " " + regions + (lastCapacity == null ? "" : ": " + lastCapacity.getMessage()), true);
    }

    private Machine afterCreate(Team team, Machine machine) {
        if (!team.suspended()) {
            awaitState(team.appName(), machine.id(), "started");
        }
        return machine;
    }

    private void awaitState(String app, String machineId, String state) {
        if (machines.waitFor(app, machineId, state, properties.startTimeout()).isEmpty()) {
            throw new StepFailure("machine " + machineId + " did not reach " + state + " within "
                    + properties.startTimeout().toSeconds() + " s", true);
        }
    }

    /** @return whether a machine was started, stopped or suspended */
    private boolean ensureRunState(Team team, List<Machine> current) {
        String app = team.appName();
        Plan plan = spec.plan(team);
        boolean changed = false;
        if (team.suspended()) {
            for (Machine machine : current) {
                if (isRunning(machine.state())) {
                    if (plan.autostop() == Autostop.SUSPEND) {
                        withLease(app, machine.id(), nonce -> machines.suspend(app, machine.id(), nonce));
                    } else {
                        withLease(app, machine.id(), nonce -> machines.stop(app, machine.id(), nonce));
                    }
                    changed = true;
                }
            }
            for (Machine machine : current) {
                if (isRunning(machine.state())) {
                    awaitState(app, machine.id(), plan.autostop() == Autostop.SUSPEND ? "suspended,stopped" : "stopped");
                }
            }
            return changed;
        }
        // a resumed team is started right away; otherwise only what the plan keeps warm, the rest wakes on demand
        boolean resuming = Team.RESUMED.equals(team.pendingOutcome());
        long running = current.stream().filter(machine -> isRunning(machine.state())).count();
        long wanted = resuming ? current.size() : plan.minRunning();
        for (Machine machine : current) {
            if (running >= wanted) {
                break;
            }
            if (isStartable(machine.state())) {
                withLease(app, machine.id(), nonce -> machines.start(app, machine.id(), nonce));
                awaitState(app, machine.id(), "started");
                running++;
                changed = true;
            }
        }
        return changed;
    }

    private static boolean isRunning(String state) {
        return "started".equals(state) || "starting".equals(state);
    }

    private static boolean isStartable(String state) {
        return "stopped".equals(state) || "suspended".equals(state) || "created".equals(state)
                || "failed".equals(state);
    }

    /** The team's machines: those tagged with its id, plus untagged ones in its app (to be removed as surplus). */
    List<Machine> ours(Team team) {
        return machines.list(team.appName()).stream()
                .filter(machine -> !"destroyed".equals(machine.state()) && !"destroying".equals(machine.state()))
                .filter(machine -> {
                    String owner = machine.metadata().get(MachineSpec.TEAM);
                    return owner == null || owner.equals(team.teamId());
                })
                .toList();
    }

    /**
     * Every mutation of an existing machine holds a short lease (refreshed by being short: 13 s like flyctl), so a
     * concurrent actor, or a crashed earlier run of this one, cannot interleave; an orphaned lease expires by itself.
     */
    void withLease(String app, String machineId, Consumer<String> mutation) {
        Lease lease;
        try {
            lease = machines.acquireLease(app, machineId, fly.leaseTtl(), "flotilla provisioner");
        } catch (FlyApiException e) {
            if (e.status() == 409) {
                throw new StepFailure("machine " + machineId + " is leased by someone else", true);
            }
            throw e;
        }
        try {
            mutation.accept(lease.nonce());
        } finally {
            try {
                machines.releaseLease(app, machineId, lease.nonce());
            } catch (FlyApiException e) {
                log.debug("Lease on {} not released ({}); it expires by itself", machineId, e.getMessage());
            }
        }
    }

    private void failed(Team team, String stage, RuntimeException e) {
        boolean retryable = !(e instanceof StepFailure step) || step.retryable;
        if (e instanceof FlyApiException fly) {
            retryable = fly.retryable() || fly.capacity() || fly.status() == 409 || fly.status() == 404;
        }
        int attempt = team.attempts() + 1;
        Instant next = retryable ? clock.instant().plus(backoff(attempt)) : null;
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        log.warn("Reconcile of team {} failed at {} (attempt {}, {}): {}", team.teamId(), stage, attempt,
                retryable ? "retrying at " + next : "not retryable", message);
        try {
            outcomes.failed(team, stage, message, retryable, attempt, next);
        } catch (RuntimeException recording) {
            log.error("Could not record the failure of team {}: {}", team.teamId(), recording.toString());
        }
    }

    Duration backoff(int attempt) {
        long base = properties.retryBase().toMillis();
        long capped = Math.min(properties.retryMax().toMillis(), base << Math.min(20, attempt - 1));
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis((long) (capped * jitter));
    }

    private void pause(int attempt) {
        try {
            Thread.sleep(Math.min(5_000, fly.retryBase().toMillis() << attempt));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted", true);
        }
    }
}
