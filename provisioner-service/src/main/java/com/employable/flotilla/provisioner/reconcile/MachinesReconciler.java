package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.fly.FlyApiException;
import com.employable.flotilla.provisioner.fly.FlyModel.CreateMachineRequest;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.fly.FlyModel.MachineConfig;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.RegionGroups;
import com.employable.flotilla.provisioner.team.TeamStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One machine per plan slot, each found by its create key ({@code <team create key>-<slot>}); a machine whose spec
 * digest differs from the plan's is updated with the full config, surplus machines are destroyed. Any change ends the
 * pass: the run state is decided on a fresh observation.
 *
 * <p>Creates are not idempotent: after an ambiguous failure (I/O, 408, 5xx) the key is looked up and a found
 * machine adopted, so a lost answer never makes a second machine. Capacity errors move on through the other regions
 * of the team's region group only; a full group is a retryable failure.
 */
@Component
class MachinesReconciler implements ResourceReconciler {

    private static final Logger log = LoggerFactory.getLogger(MachinesReconciler.class);

    private final TeamFly fly;
    private final MachineSpec spec;
    private final Leases leases;
    private final MachineStates states;
    private final RegionGroups regionGroups;
    private final WarmClaim warmClaim;

    MachinesReconciler(
            TeamFly fly,
            MachineSpec spec,
            Leases leases,
            MachineStates states,
            ProvisionerProperties properties,
            WarmClaim warmClaim) {
        this.fly = fly;
        this.warmClaim = warmClaim;
        this.spec = spec;
        this.leases = leases;
        this.states = states;
        this.regionGroups = properties.residency();
    }

    @Override
    public String resource() {
        return "machines";
    }

    @Override
    public Step reconcile(ReconcileContext context) {
        if (context.observed().app().isEmpty()) {
            return Step.waiting("the app's machines are observed once the app is", java.time.Duration.ZERO);
        }
        String app = context.app();
        List<Machine> existing = context.observed().machines();
        String region = context.targetRegion();
        var did = new ArrayList<String>();
        var keep = new ArrayList<Machine>();
        // only warm claims, each finished with its machine started: the pass can go on with the machines read again
        boolean claimsOnly = true;
        for (int slot = 0; slot < context.plan().machines(); slot++) {
            String key = context.spec().createKey() + "-" + slot;
            MachineConfig desired = spec.config(context.spec(), key);
            Optional<Machine> found = existing.stream()
                    .filter(machine -> key.equals(machine.metadata().get(MachineSpec.CREATE_KEY)))
                    .findFirst();
            Optional<Machine> warm = found.isPresent()
                    ? Optional.empty()
                    : WarmClaim.find(context.spec().teamId(), existing, keep);
            if (warm.isPresent()) {
                // a claimed pool app's machine becomes the team's instead of a create (the app's secrets are written)
                Machine adopted = warm.get();
                region = adopted.region();
                keep.add(adopted);
                did.add("claimed warm " + adopted.id());
                Optional<Step> unfinished = warmClaim.claim(context, adopted, key, desired);
                if (unfinished.isPresent()) {
                    return unfinished.get();
                }
                continue;
            }
            if (found.isEmpty()) {
                claimsOnly = false;
                Machine created = create(context, key, desired);
                region = created.region();
                keep.add(created);
                did.add("created " + created.id() + " in " + region);
                // machines come up one after another: the next slot waits until this one is seen started
                if (!context.spec().suspended() && !states.reached(app, created.id(), "started")) {
                    return Step.waiting(
                            "machine " + created.id() + " is starting", MachineStates.RECHECK, placed(context, region));
                }
                continue;
            }
            Machine current = found.get();
            region = current.region();
            keep.add(current);
            boolean poolConfigStopped = "stopped".equals(current.state()) && WarmClaim.identityByExec(current, desired);
            if (!MachineSpec.sameSpec(desired, current.metadata()) || poolConfigStopped) {
                // a machine on its way up (starting, restarting after someone else's update) comes back up
                boolean running = MachineStates.isRunning(current.state())
                        || "restarting".equals(current.state())
                        || "updating".equals(current.state());
                claimsOnly = false;
                leases.withLease(
                        app, current.id(), nonce -> fly.updateMachine(app, current.id(), desired, !running, nonce));
                log.info(
                        "Updated machine {} of team {} to plan {}",
                        current.id(),
                        context.spec().teamId(),
                        context.spec().plan());
                did.add("updated " + current.id());
                if (running && !states.reached(app, current.id(), "started")) {
                    return Step.waiting(
                            "machine " + current.id() + " restarts", MachineStates.RECHECK, placed(context, region));
                }
            }
        }
        for (Machine extra : existing) {
            if (keep.stream().noneMatch(kept -> kept.id().equals(extra.id()))) {
                claimsOnly = false;
                leases.withLease(app, extra.id(), nonce -> fly.destroy(app, extra.id(), nonce));
                log.info(
                        "Destroyed surplus machine {} of team {}",
                        extra.id(),
                        context.spec().teamId());
                did.add("destroyed " + extra.id());
            }
        }
        if (did.isEmpty()) {
            return Objects.equals(region, context.status().placedRegion())
                    ? Step.inSync()
                    : Step.inSync(placed(context, region));
        }
        if (claimsOnly && !context.spec().suspended()) {
            // a claimed machine is started and tagged: read once, and the run state and health follow in this pass
            // (a requeue would wait behind every team queued meanwhile, in a burst the whole backlog)
            return Step.changedAndRead(String.join(", ", did), placed(context, region), fly.machines(app));
        }
        return Step.observeAgain(String.join(", ", did), placed(context, region));
    }

    private static TeamStatus placed(ReconcileContext context, String region) {
        return context.status().withPlacedRegion(region);
    }

    private Machine create(ReconcileContext context, String key, MachineConfig desired) {
        String app = context.app();
        String teamId = context.spec().teamId();
        List<String> regions;
        try {
            // residency: capacity fallback never leaves the team's region group
            regions = regionGroups.candidates(
                    context.spec().region(), context.status().placedRegion());
        } catch (IllegalArgumentException noGroup) {
            throw new StepFailure(noGroup.getMessage(), false);
        }
        FlyApiException lastCapacity = null;
        for (String region : regions) {
            try {
                Machine machine = fly.createMachine(
                        app,
                        new CreateMachineRequest(
                                null, region, desired, context.spec().suspended() ? Boolean.TRUE : null, null));
                log.info("Created machine {} in {} for team {}", machine.id(), machine.region(), teamId);
                return machine;
            } catch (FlyApiException e) {
                if (e.capacity()) {
                    lastCapacity = e;
                    log.warn("No capacity in {} for team {}: {}", region, teamId, e.getMessage());
                    continue;
                }
                if (!e.ambiguous()) {
                    throw e;
                }
                Optional<Machine> adopted = fly.machines(app, Map.of(MachineSpec.CREATE_KEY, key)).stream()
                        .findFirst();
                if (adopted.isEmpty()) {
                    throw e;
                }
                log.info(
                        "Adopted machine {} of an ambiguous create for team {}",
                        adopted.get().id(),
                        teamId);
                return adopted.get();
            }
        }
        throw new StepFailure(
                "no capacity in region group "
                        + regionGroups.groupOf(context.spec().region()).orElse("?") + " " + regions
                        + (lastCapacity == null ? "" : ": " + lastCapacity.getMessage()),
                true);
    }
}
