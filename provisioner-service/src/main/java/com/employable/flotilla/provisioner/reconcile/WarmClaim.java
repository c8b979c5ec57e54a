package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.fly.FlyApiException;
import com.employable.flotilla.provisioner.fly.FlyModel.ExecResult;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.fly.FlyModel.MachineConfig;
import com.employable.flotilla.provisioner.team.Plan;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * How a claimed warm-pool machine becomes its team's. By exec (Fly's warm-pool blueprint): the suspended machine is
 * resumed, the team's identity and secrets are written on its standard input into the team server's identity file
 * (never in a command line), and the machine is tagged as the team's, its create key last; its team server takes up the
 * identity while it runs, so the claim is a resume and one exec (about 1-2 s on Fly) instead of an update's restart
 * (about 20 s). By update: the machine gets the team's full config, which restarts it.
 *
 * <p>Every step can be repeated: a pass that stops half-way (a crash, a lost answer) finds the machine still a pool
 * machine, or already tagged with this team but without its create key, and claims it again; the team server takes up
 * only the first identity it is given. A machine whose exec fails is claimed by update instead: a team never waits on a
 * pool machine that cannot take an identity.
 */
@Component
class WarmClaim {

    private static final Logger log = LoggerFactory.getLogger(WarmClaim.class);
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);

    private final TeamFly fly;
    private final MachineSpec spec;
    private final Leases leases;
    private final MachineStates states;
    private final WarmClaimProperties properties;
    private final ProvisionerProperties provisioner;

    WarmClaim(
            TeamFly fly,
            MachineSpec spec,
            Leases leases,
            MachineStates states,
            WarmClaimProperties properties,
            ProvisionerProperties provisioner) {
        this.fly = fly;
        this.spec = spec;
        this.leases = leases;
        this.states = states;
        this.properties = properties;
        this.provisioner = provisioner;
    }

    /**
     * The command that writes its standard input to {@code path} atomically (a temp file, then a rename), readable by
     * its owner only. Exec runs as root on Fly while the team server runs as its image's user: the file takes the owner
     * of its directory (the image makes that directory the server's), where the exec may change owners at all.
     */
    static List<String> writeCommand(String path) {
        return List.of(
                "sh",
                "-c",
                "umask 077 && cat > \"$1.tmp\""
                        + " && { chown --reference=\"$(dirname -- \"$1\")\" -- \"$1.tmp\" 2>/dev/null || true; }"
                        + " && mv -f -- \"$1.tmp\" \"$1\"",
                "flotilla-claim",
                path);
    }

    /** A pool machine not yet the team's, or tagged with this team by a claim that did not finish. */
    static Optional<Machine> find(String teamId, List<Machine> existing, List<Machine> taken) {
        return existing.stream()
                .filter(machine -> machine.metadata().containsKey(MachineSpec.POOL))
                .filter(machine -> {
                    String owner = machine.metadata().get(MachineSpec.TEAM);
                    return owner == null || owner.equals(teamId);
                })
                .filter(machine -> taken.stream().noneMatch(kept -> kept.id().equals(machine.id())))
                .findFirst();
    }

    /**
     * Makes the warm machine the team's.
     *
     * @return a step that ends the pass (the machine is still resuming or restarting), or empty when it is the team's
     */
    Optional<Step> claim(ReconcileContext context, Machine warm, String key, MachineConfig desired) {
        String app = context.app();
        if (byExec(context, warm, desired)) {
            try {
                return claimByExec(context, warm, key, desired);
            } catch (ExecFailed e) {
                log.warn(
                        "Warm machine {} of team {}: {}; claimed by update instead",
                        warm.id(),
                        teamId(context),
                        e.getMessage());
            }
        }
        boolean suspended = context.spec().suspended();
        leases.withLease(app, warm.id(), nonce -> fly.updateMachine(app, warm.id(), desired, suspended, nonce));
        log.info("Claimed warm machine {} in {} for team {} by update", warm.id(), warm.region(), teamId(context));
        if (!suspended && !states.reached(app, warm.id(), "started")) {
            return Optional.of(Step.waiting(
                    "machine " + warm.id() + " is starting",
                    MachineStates.RECHECK,
                    context.status().withPlacedRegion(warm.region())));
        }
        return Optional.empty();
    }

    private Optional<Step> claimByExec(ReconcileContext context, Machine warm, String key, MachineConfig desired) {
        String app = context.app();
        String id = warm.id();
        if (!"started".equals(warm.state())) {
            if ("suspended".equals(warm.state()) || "stopped".equals(warm.state())) {
                leases.withLease(app, id, nonce -> fly.start(app, id, nonce));
            }
            if (!states.reached(app, id, "started")) {
                return Optional.of(Step.waiting(
                        "warm machine " + id + " is resuming",
                        MachineStates.RECHECK,
                        context.status().withPlacedRegion(warm.region())));
            }
        }
        ExecResult written;
        try {
            written = fly.exec(
                    app,
                    id,
                    writeCommand(properties.identityFile()),
                    spec.identityFile(context.spec(), desired),
                    EXEC_TIMEOUT);
        } catch (FlyApiException e) {
            if (e.retryable() || e.ambiguous()) {
                throw e;
            }
            throw new ExecFailed("exec refused (" + e.status() + ")");
        }
        if (!written.succeeded()) {
            throw new ExecFailed("identity write exited " + written.exitCode());
        }
        // the team's tag first, the create key last: a machine with the key is the team's slot from then on, so
        // everything it is judged by (its owner, its spec digest) is there before
        fly.setMetadata(app, id, MachineSpec.TEAM, teamId(context));
        fly.setMetadata(app, id, MachineSpec.SPEC, desired.metadata().get(MachineSpec.SPEC));
        fly.setMetadata(app, id, MachineSpec.CREATE_KEY, key);
        log.info("Claimed warm machine {} in {} for team {} by exec", id, warm.region(), teamId(context));
        return Optional.empty();
    }

    /**
     * Whether the warm machine can take the team's identity without an update: exec claims are on, the team starts
     * running, the machine was built for the pool's plan from the team's image, and the team's plan has that plan's
     * machine shape (size, services, idle policy).
     */
    private boolean byExec(ReconcileContext context, Machine warm, MachineConfig desired) {
        if (properties.mode() != WarmClaimProperties.Mode.EXEC || context.spec().suspended()) {
            return false;
        }
        Plan pool = provisioner.plans().get(properties.plan());
        Plan team = context.plan();
        return pool != null
                && properties.plan().equals(warm.metadata().get(MachineSpec.POOL_PLAN))
                && warm.config() != null
                && Objects.equals(warm.config().image(), desired.image())
                && MachineSpec.guest(pool).equals(MachineSpec.guest(team))
                && MachineSpec.service(pool).equals(MachineSpec.service(team));
    }

    /**
     * Whether a team's machine still runs the pool's config with its identity from the file: it gets the team's full
     * config by an update once it is stopped (the update then costs no restart, and a stopped machine boots from a
     * fresh root filesystem, where the file is gone).
     */
    static boolean identityByExec(Machine machine, MachineConfig desired) {
        if (!machine.metadata().containsKey(MachineSpec.POOL)
                || machine.config() == null
                || machine.config().env() == null) {
            return false;
        }
        return !Objects.equals(
                machine.config().env().get("FLOTILLA_TEAM_ID"), desired.env().get("FLOTILLA_TEAM_ID"));
    }

    private static String teamId(ReconcileContext context) {
        return context.spec().teamId();
    }

    private static final class ExecFailed extends RuntimeException {
        ExecFailed(String message) {
            super(message, null, false, false);
        }
    }
}
