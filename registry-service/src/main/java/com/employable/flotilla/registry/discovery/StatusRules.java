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
 * <li>the team is suspended (by employable) → {@code suspended}</li>
 * <li>the latest provisioning attempt failed and either the provisioner gave up (not retryable) or the server was
 * never provisioned → {@code failed} (a retryable failure after a success, e.g. a plan change that will be retried,
 * leaves the running server's status alone)</li>
 * <li>not provisioned yet → {@code provisioning}</li>
 * <li>provisioned, by the state and health of its machines (a machine in Fly state {@code failed} counts as
 * unhealthy; a verdict taken after its machine went to sleep counts as no verdict, see below):
 * <ul>
 * <li>no machine left → {@code unhealthy}</li>
 * <li>every machine asleep ({@code stopped} or {@code suspended}, or on its way there: {@code stopping},
 * {@code suspending}) and the last verdict of each healthy (a verdict taken in its sleep does not count against it) →
 * {@code idle}</li>
 * <li>no verdict for any machine yet → {@code provisioning}</li>
 * <li>at least one healthy or degraded machine and at least one degraded or unhealthy → {@code degraded}</li>
 * <li>at least one healthy, the rest not yet probed → {@code ready}</li>
 * <li>otherwise (only unhealthy, or unhealthy and not yet probed) → {@code unhealthy}</li>
 * </ul>
 * </li>
 * </ol>
 *
 * <p>Sleeping is by design (Fly's autostop; the next request through Fly Proxy or the gateway wakes the machine), so
 * a sleeping server is never reported unhealthy because it sleeps: a machine keeps the verdict it had while awake, and
 * a verdict taken at or after the time it was seen going to sleep ({@code stopping}, {@code suspending},
 * {@code stopped}, {@code suspended}) met a machine that was not there to answer and says nothing about its health.
 * A server that broke while awake keeps its bad verdict when it then goes to sleep.
 */
public final class StatusRules {

    /** States in which a machine no longer belongs to the server. */
    static final Set<String> GONE_STATES = Set.of("destroying", "destroyed", "replaced", "migrated", "launch_failed");

    /**
     * Asleep by design, or on its way there: Fly starts (or resumes) the machine on the next request, and a probe that
     * meets it learns nothing about the server.
     */
    static final Set<String> SLEEPING_STATES = Set.of("stopping", "suspending", "stopped", "suspended");

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
        return byMachines(machines);
    }

    static ServerStatus byMachines(Collection<MachineRecord> machines) {
        if (machines.isEmpty()) {
            return ServerStatus.UNHEALTHY;
        }
        if (machines.stream().allMatch(StatusRules::asleepAfterHealthyVerdict)) {
            return ServerStatus.IDLE;
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

    /**
     * The verdict the status counts: the health-service's, except that a machine Fly reports as failed cannot serve,
     * and that a verdict other than healthy taken after the machine went to sleep counts as none.
     */
    static HealthStatus effectiveHealth(MachineRecord machine) {
        if ("failed".equals(machine.state())) {
            return HealthStatus.UNHEALTHY;
        }
        if (machine.health() != HealthStatus.HEALTHY && probedInItsSleep(machine)) {
            return HealthStatus.UNKNOWN;
        }
        return machine.healthOrUnknown();
    }

    /** Asleep, and healthy when last seen awake (a verdict taken in its sleep does not count against it). */
    private static boolean asleepAfterHealthyVerdict(MachineRecord machine) {
        return SLEEPING_STATES.contains(machine.state())
                && (machine.health() == HealthStatus.HEALTHY || probedInItsSleep(machine));
    }

    /** Whether the machine's latest verdict was taken at or after the time it was seen going to sleep. */
    private static boolean probedInItsSleep(MachineRecord machine) {
        return SLEEPING_STATES.contains(machine.state())
                && machine.health() != null
                && machine.healthAt() != null
                && machine.stateAt() != null
                && !machine.healthAt().isBefore(machine.stateAt());
    }

    static boolean isGone(String state) {
        return GONE_STATES.contains(state);
    }
}
