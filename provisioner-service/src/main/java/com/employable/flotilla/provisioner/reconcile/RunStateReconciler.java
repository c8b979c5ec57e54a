package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.fly.FlyModel.Autostop;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.team.Announcement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Started, stopped or suspended, per plan and team state: a suspended team's machines are stopped (or suspended, on
 * plans that idle to suspend); a resumed team's are all started; otherwise only the plan's {@code minMachinesRunning} are
 * kept warm and Fly's proxy wakes the rest. A machine on its way (starting, or stopping while suspended) is waited
 * for before the team counts as converged.
 */
@Component
class RunStateReconciler implements ResourceReconciler {

    private static final Set<String> TRANSIENT =
            Set.of("starting", "stopping", "suspending", "updating", "restarting", "replacing");
    private static final String SETTLED = "started,stopped,suspended";

    private final TeamFly fly;
    private final Leases leases;
    private final MachineStates states;

    RunStateReconciler(TeamFly fly, Leases leases, MachineStates states) {
        this.fly = fly;
        this.leases = leases;
        this.states = states;
    }

    @Override
    public String resource() {
        return "run-state";
    }

    @Override
    public Step reconcile(ReconcileContext context) {
        boolean suspended = context.spec().suspended();
        String settled = suspended ? restingState(context) : "started";
        Set<String> onTheirWay = suspended ? Set.of("stopping", "suspending") : Set.of("starting");
        List<Machine> moving = context.observed().machines().stream()
                .filter(machine -> onTheirWay.contains(machine.state()))
                .toList();
        if (!moving.isEmpty()) {
            return awaitSettled(context, moving, settled, "on the way to " + settled);
        }
        // Fly refuses to suspend, stop or start a machine in a transient state (412): one still starting or updating
        // (a plan change's update, say) is let to settle first, and acted on at the next pass
        List<Machine> unsettled = context.observed().machines().stream()
                .filter(machine -> TRANSIENT.contains(machine.state()))
                .toList();
        if (!unsettled.isEmpty()) {
            return awaitSettled(context, unsettled, SETTLED, "letting machines settle before acting");
        }
        var acted = new ArrayList<Machine>();
        if (suspended) {
            for (Machine machine : context.observed().machines()) {
                if ("started".equals(machine.state())) {
                    leases.withLease(context.app(), machine.id(), nonce -> halt(context, machine.id(), nonce));
                    acted.add(machine);
                }
            }
        } else {
            // a resumed team is started right away; otherwise only what the plan keeps warm, the rest wakes on demand
            boolean resuming = context.spec().announce() == Announcement.RESUMED;
            List<Machine> machines = context.observed().machines();
            long running = machines.stream()
                    .filter(machine -> MachineStates.isRunning(machine.state()))
                    .count();
            long wanted = resuming ? machines.size() : context.plan().minMachinesRunning();
            for (Machine machine : machines) {
                if (running >= wanted) {
                    break;
                }
                if (MachineStates.isStartable(machine.state())) {
                    leases.withLease(
                            context.app(), machine.id(), nonce -> fly.start(context.app(), machine.id(), nonce));
                    acted.add(machine);
                    running++;
                }
            }
        }
        if (acted.isEmpty()) {
            return Step.inSync();
        }
        return awaitSettled(context, acted, settled, (suspended ? "halted " : "started ") + ids(acted));
    }

    private Step awaitSettled(ReconcileContext context, List<Machine> machines, String state, String what) {
        for (Machine machine : machines) {
            states.requireWithinTimeout(machine, state, context.observed().at());
            if (!states.reached(context.app(), machine.id(), state)) {
                return Step.waiting(what + ": " + machine.id() + " not yet " + state, MachineStates.RECHECK);
            }
        }
        return Step.observeAgain(what, null);
    }

    private void halt(ReconcileContext context, String machineId, String nonce) {
        if (context.plan().autostop() == Autostop.SUSPEND) {
            fly.suspend(context.app(), machineId, nonce);
        } else {
            fly.stop(context.app(), machineId, nonce);
        }
    }

    private static String restingState(ReconcileContext context) {
        return context.plan().autostop() == Autostop.SUSPEND ? "suspended,stopped" : "stopped";
    }

    private static String ids(List<Machine> machines) {
        return String.join(", ", machines.stream().map(Machine::id).toList());
    }
}
