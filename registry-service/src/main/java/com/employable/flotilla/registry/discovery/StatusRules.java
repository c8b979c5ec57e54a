package com.employable.flotilla.registry.discovery;

import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.registry.ServerStatus;
import java.util.Collection;
import java.util.Set;

/**
 * How the registry decides whether a team's server is usable. Evaluated top to bottom; the first rule that matches
 * wins (the README carries the same table).
 *
 * <ol>
 * <li>the team is suspended → {@code suspended}</li>
 * <li>the latest provisioning attempt failed and either the provisioner gave up (not retryable) or the server was
 * never provisioned → {@code failed} (a retryable failure after a success, e.g. a plan change that will be retried,
 * leaves the running server's status alone)</li>
 * <li>not provisioned yet → {@code provisioning}</li>
 * <li>provisioned, by the health of its machines (a machine in Fly state {@code failed} counts as unhealthy):
 * <ul>
 * <li>no machine left → {@code unhealthy}</li>
 * <li>no verdict for any machine yet → {@code provisioning}</li>
 * <li>at least one healthy or degraded machine and at least one degraded or unhealthy → {@code degraded}</li>
 * <li>at least one healthy, the rest not yet probed → {@code ready}</li>
 * <li>otherwise (only unhealthy, or unhealthy and not yet probed) → {@code unhealthy}</li>
 * </ul>
 * </li>
 * </ol>
 * A stopped or suspended machine keeps its last verdict: Fly starts it on the next request, so an idle team that was
 * healthy stays {@code ready}.
 */
public final class StatusRules {

    /** States in which a machine no longer belongs to the server. */
    static final Set<String> GONE_STATES = Set.of("destroying", "destroyed", "replaced", "migrated", "launch_failed");

    private StatusRules() {}

    static ServerStatus status(Phase phase, boolean provisioned, Collection<MachineRecord> machines) {
        if (phase != null && phase.is(Phase.Kind.SUSPENDED)) {
            return ServerStatus.SUSPENDED;
        }
        if (phase != null && phase.is(Phase.Kind.FAILED) && (!phase.failure().retryable() || !provisioned)) {
            return ServerStatus.FAILED;
        }
        if (!provisioned) {
            return ServerStatus.PROVISIONING;
        }
        return byMachineHealth(machines);
    }

    static ServerStatus byMachineHealth(Collection<MachineRecord> machines) {
        if (machines.isEmpty()) {
            return ServerStatus.UNHEALTHY;
        }
        int healthy = 0;
        int degraded = 0;
        int unhealthy = 0;
        for (MachineRecord machine : machines) {
            switch (effectiveHealth(machine)) {
                case HEALTHY -> healthy++;
                case DEGRADED -> degraded++;
                case UNHEALTHY -> unhealthy++;
                case UNKNOWN -> {}
            }
        }
        if (healthy + degraded + unhealthy == 0) {
            return ServerStatus.PROVISIONING;
        }
        if (healthy + degraded > 0 && degraded + unhealthy > 0) {
            return ServerStatus.DEGRADED;
        }
        return healthy > 0 ? ServerStatus.READY : ServerStatus.UNHEALTHY;
    }

    /** The verdict the status counts: the health-service's, except that a machine Fly reports as failed cannot serve. */
    static HealthStatus effectiveHealth(MachineRecord machine) {
        return "failed".equals(machine.state()) ? HealthStatus.UNHEALTHY : machine.healthOrUnknown();
    }

    static boolean isGone(String state) {
        return GONE_STATES.contains(state);
    }
}
