package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.provisioner.fly.FlyApiException;
import com.employable.flotilla.provisioner.fly.FlyModel.App;
import com.employable.flotilla.provisioner.fly.FlyModel.IpAssignment;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.health.HealthLedger;
import com.employable.flotilla.provisioner.team.Condition;
import com.employable.flotilla.provisioner.team.Phase;
import com.employable.flotilla.provisioner.team.Plan;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.Team;
import com.employable.flotilla.provisioner.team.TeamSpec;
import com.employable.flotilla.provisioner.team.TeamStatus;
import com.employable.flotilla.provisioner.team.WarmApps;
import com.employable.flotilla.provisioner.teamdb.TeamDatabaseRoles;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One reconcile of one team, level-triggered: observes Fly once (app, addresses, machines, health verdicts), then
 * lets each resource converge in order (app; secrets and IPs, which are independent, at once; machines, run state,
 * health). A resource that changed what the next ones depend on, or that waits for a machine, ends the pass with a
 * requeue instead of blocking; an app the pass created itself is known to be empty, so the rest follows in the same
 * pass. Writes nothing but Fly: the result carries the status to record.
 */
@Component
public class TeamReconciler {

    private static final Logger log = LoggerFactory.getLogger(TeamReconciler.class);

    private final TeamFly fly;
    /** Resources in order; the members of one stage converge at once (they do not depend on each other). */
    private final List<List<ResourceReconciler>> stages;

    private final HealthLedger health;
    private final TeamDatabaseRoles teamDatabase;
    private final TeamAddresses addresses;
    private final WarmApps warmApps;
    private final ProvisionerProperties properties;
    private final Duration leaseConflictRetry;
    private final Clock clock;
    private final Concurrently concurrently;

    TeamReconciler(
            TeamFly fly,
            AppReconciler app,
            SecretsReconciler secrets,
            IpsReconciler ips,
            MachinesReconciler machines,
            RunStateReconciler runState,
            HealthReconciler repairs,
            HealthLedger health,
            TeamDatabaseRoles teamDatabase,
            TeamAddresses addresses,
            WarmApps warmApps,
            ProvisionerProperties properties,
            Clock clock,
            Concurrently concurrently) {
        this.fly = fly;
        this.stages =
                List.of(List.of(app), List.of(secrets, ips), List.of(machines), List.of(runState), List.of(repairs));
        this.concurrently = concurrently;
        this.health = health;
        this.teamDatabase = teamDatabase;
        this.addresses = addresses;
        this.warmApps = warmApps;
        this.properties = properties;
        this.leaseConflictRetry = properties.retryBase();
        this.clock = clock;
    }

    ReconcileResult reconcile(Team team) {
        TeamSpec spec = team.spec();
        TeamStatus status = team.status();
        if (status.waitsForAnEvent()) {
            return new ReconcileResult.Skipped();
        }
        String stage = "start";
        var conditions = new ArrayList<Condition>();
        try {
            requireTeamApp(spec);
            if (spec.deleted()) {
                stage = "delete-app";
                fly.deleteApp(spec.appName());
                if (teamDatabase.enabled()) {
                    stage = "drop-database-role";
                    teamDatabase.dropRole(spec.teamId());
                }
                log.info("Team {} deprovisioned: app {} deleted", spec.teamId(), spec.appName());
                return new ReconcileResult.Deprovisioned(status.converged(Phase.DELETED, spec.revision()));
            }
            Plan plan = plan(spec);
            stage = "observe";
            Observed observed = observe(spec);
            Duration revisit = null;
            for (List<ResourceReconciler> together : stages) {
                var context = new ReconcileContext(spec, status, plan, observed);
                List<Concurrently.Outcome<Step>> steps = concurrently.settle(together.stream()
                        .<Supplier<Step>>map(resource -> () -> resource.reconcile(context))
                        .toList());
                Step ending = null;
                for (int i = 0; i < together.size(); i++) {
                    stage = together.get(i).resource();
                    if (steps.get(i).failure() != null) {
                        throw steps.get(i).failure();
                    }
                    Step step = steps.get(i).value();
                    status = step.status() == null ? status : step.status();
                    conditions.add(new Condition(stage, step.state()));
                    if (step.endsPass() && ending == null) {
                        ending = step;
                        log.debug("Team {}: {} {}; again in {}", spec.teamId(), stage, step.did(), step.requeueAfter());
                    }
                    revisit = step.revisitAfter() == null ? revisit : step.revisitAfter();
                    if (step.machines() != null) {
                        observed = observed.withMachines(ours(spec, step.machines()));
                    }
                }
                if (ending != null) {
                    return new ReconcileResult.Requeue(
                            status.withConditions(conditions).requeued(), ending.requeueAfter(), ending.did());
                }
                if (observed.app().isEmpty()) {
                    // the app stage went on without ending the pass: it created the app (an adopted one ends the
                    // pass), so the app is known to be empty
                    observed = observed.withCreatedApp(spec.appName());
                }
            }
            String region = status.placedRegion() != null ? status.placedRegion() : spec.region();
            TeamStatus converged = status.converged(spec.suspended() ? Phase.SUSPENDED : Phase.READY, spec.revision())
                    .withPlacedRegion(region)
                    .withConditions(conditions);
            return new ReconcileResult.Converged(converged, observed.machines(), region, revisit);
        } catch (LeaseConflict conflict) {
            conditions.add(new Condition(stage, Condition.State.WAITING));
            log.info("Team {}: {}; again in {}", spec.teamId(), conflict.getMessage(), leaseConflictRetry);
            return new ReconcileResult.Requeue(
                    status.withConditions(conditions).requeued(), leaseConflictRetry, conflict.getMessage());
        } catch (RuntimeException e) {
            conditions.add(new Condition(stage, Condition.State.FAILED));
            return failed(spec, status.withConditions(conditions), stage, e);
        }
    }

    private Observed observe(TeamSpec spec) {
        Instant now = clock.instant();
        Optional<App> app = fly.app(spec.appName());
        if (app.isEmpty()) {
            return Observed.noApp(now);
        }
        // addresses and machines are independent reads: asked for at once
        List<Object> read = concurrently.all(
                List.<Supplier<Object>>of(() -> fly.ips(spec.appName()), () -> fly.machines(spec.appName())));
        @SuppressWarnings("unchecked")
        List<IpAssignment> ips = (List<IpAssignment>) read.get(0);
        @SuppressWarnings("unchecked")
        List<Machine> machines = (List<Machine>) read.get(1);
        return new Observed(app, ips, ours(spec, machines), health.unhealthy(spec.teamId(), now), now);
    }

    /** The team's machines: those tagged with its id, plus untagged ones in its app (to be removed as surplus). */
    static List<Machine> ours(TeamSpec spec, List<Machine> machines) {
        return ours(spec.teamId(), machines);
    }

    static List<Machine> ours(String teamId, List<Machine> machines) {
        return machines.stream()
                .filter(machine -> !"destroyed".equals(machine.state()) && !"destroying".equals(machine.state()))
                .filter(machine -> {
                    String owner = machine.metadata().get(MachineSpec.TEAM);
                    return owner == null || owner.equals(teamId);
                })
                .toList();
    }

    /**
     * The app a team row names must be exactly the one its id derives to under the configured prefix and outside the
     * reserved platform names, or a warm-pool app the pool's record says this team claimed: a row from elsewhere (an
     * older prefix, a restore, a hand edit) never makes the provisioner adopt, change or delete another app.
     */
    private void requireTeamApp(TeamSpec spec) {
        String derived;
        try {
            derived = addresses.appName(spec.teamId());
        } catch (RuntimeException refused) {
            throw new StepFailure(refused.getMessage(), false);
        }
        if (addresses.isPoolApp(spec.appName()) && warmApps.claimedBy(spec.teamId(), spec.appName())) {
            return;
        }
        if (!derived.equals(spec.appName())) {
            throw new StepFailure(
                    "team row names app " + spec.appName() + " but team " + spec.teamId() + " derives to " + derived
                            + " (flotilla.teams.app-prefix changed?)",
                    false);
        }
    }

    private Plan plan(TeamSpec spec) {
        Plan plan = properties.plans().get(spec.plan());
        if (plan == null) {
            throw new StepFailure("team " + spec.teamId() + " has unknown plan " + spec.plan(), true);
        }
        return plan;
    }

    private ReconcileResult failed(TeamSpec spec, TeamStatus status, String stage, RuntimeException e) {
        boolean retryable = !(e instanceof StepFailure step) || step.retryable();
        if (e instanceof FlyApiException flyError) {
            retryable = flyError.retryable()
                    || flyError.capacity()
                    || flyError.stateConflict()
                    || flyError.status() == 409
                    || flyError.status() == 404;
        }
        int attempt = status.attempts() + 1;
        Instant next = retryable ? clock.instant().plus(backoff(attempt)) : null;
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        log.warn(
                "Reconcile of team {} failed at {} (attempt {}, {}): {}",
                spec.teamId(),
                stage,
                attempt,
                retryable ? "retrying at " + next : "not retryable",
                message);
        return new ReconcileResult.Failed(status.failed(stage, message, retryable, next), stage, message, retryable);
    }

    Duration backoff(int attempt) {
        long base = properties.retryBase().toMillis();
        long capped = Math.min(properties.retryMax().toMillis(), base << Math.min(20, attempt - 1));
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis((long) (capped * jitter));
    }
}
