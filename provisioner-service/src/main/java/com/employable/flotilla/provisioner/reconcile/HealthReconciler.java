package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.health.HealthLedger;
import com.employable.flotilla.provisioner.health.MachineHealth;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import org.springframework.stereotype.Component;

/**
 * Health-service's verdicts as observed state: a machine unhealthy for {@code unhealthyRestartAfter} is restarted;
 * still unhealthy {@code unhealthyReplaceAfter} after that, it is destroyed and the machines' reconcile builds its
 * replacement (announced as {@code server.updated}). At most {@code maxRepairsPerHour} per machine, so a server broken
 * by its own code does not loop through replacements for ever. A repair not due yet requeues the team for when it is.
 */
@Component
class HealthReconciler implements ResourceReconciler {

    private final TeamFly fly;
    private final Leases leases;
    private final HealthLedger ledger;
    private final ProvisionerProperties properties;

    HealthReconciler(TeamFly fly, Leases leases, HealthLedger ledger, ProvisionerProperties properties) {
        this.fly = fly;
        this.leases = leases;
        this.ledger = ledger;
        this.properties = properties;
    }

    @Override
    public String resource() {
        return "health";
    }

    @Override
    public Step reconcile(ReconcileContext context) {
        if (context.spec().suspended()) {
            return Step.inSync();
        }
        String app = context.app();
        String teamId = context.spec().teamId();
        Instant now = context.observed().at();
        Duration nextDue = null;
        var did = new ArrayList<String>();
        for (MachineHealth health : context.observed().health().values()) {
            String id = health.machineId();
            boolean gone = context.observed().machine(id).isEmpty();
            if (gone || health.repairsLastHour() >= properties.maxRepairsPerHour()) {
                continue;
            }
            Instant due = health.restartedAt() == null
                    ? health.unhealthySince().plus(properties.unhealthyRestartAfter())
                    : health.restartedAt().plus(properties.unhealthyReplaceAfter());
            if (due.isAfter(now)) {
                Duration wait = Duration.between(now, due);
                nextDue = nextDue == null || wait.compareTo(nextDue) < 0 ? wait : nextDue;
                continue;
            }
            if (health.restartedAt() == null) {
                leases.withLease(app, id, nonce -> fly.restart(app, id, nonce));
                ledger.restarted(teamId, id, "unhealthy since " + health.unhealthySince());
                did.add("restarted " + id);
            } else {
                leases.withLease(app, id, nonce -> fly.destroy(app, id, nonce));
                ledger.replaced(teamId, id, "still unhealthy after a restart at " + health.restartedAt());
                did.add("replaced " + id);
            }
        }
        if (!did.isEmpty()) {
            return Step.observeAgain(String.join(", ", did), null);
        }
        if (nextDue != null) {
            return Step.dueIn("repair due in " + nextDue.toSeconds() + " s", nextDue);
        }
        return Step.inSync();
    }
}
