package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.team.Team;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads a team, reconciles it and records the result, like a controller's reconcile-then-patch-status: the
 * reconcile only talks to Fly; the status, the machine observations and the outcome event are written here, and only
 * while the team still has the revision the reconcile worked for (a newer event meanwhile makes the result stale:
 * it is dropped, and the newer revision's reconcile does the announcing).
 */
@Component
class TeamController {

    private static final Logger log = LoggerFactory.getLogger(TeamController.class);

    private final TeamStore store;
    private final TeamReconciler reconciler;

    TeamController(TeamStore store, TeamReconciler reconciler) {
        this.store = store;
        this.reconciler = reconciler;
    }

    /** @return when to reconcile the team again, empty when only an event or a due retry should */
    Optional<Duration> reconcile(String teamId) {
        Optional<Team> found = store.find(teamId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Team team = found.get();
        ReconcileResult result = reconciler.reconcile(team);
        if (result instanceof ReconcileResult.Skipped) {
            return Optional.empty();
        }
        if (isStale(team)) {
            log.info(
                    "Reconcile of team {} revision {} is stale: a newer revision arrived meanwhile",
                    teamId,
                    team.spec().revision());
            return Optional.of(Duration.ZERO);
        }
        return switch (result) {
            case ReconcileResult.Skipped skipped -> Optional.empty();
            case ReconcileResult.Requeue requeue -> {
                store.progressed(team, requeue.status());
                yield Optional.of(requeue.after());
            }
            case ReconcileResult.Converged converged -> {
                store.converged(team, converged.status(), converged.machines(), converged.region());
                yield Optional.ofNullable(converged.revisitAfter());
            }
            case ReconcileResult.Deprovisioned deprovisioned -> {
                store.deprovisioned(team, deprovisioned.status());
                yield Optional.empty();
            }
            case ReconcileResult.Failed failed -> {
                store.failed(team, failed.status(), failed.stage(), failed.error(), failed.retryable());
                yield Optional.empty();
            }
        };
    }

    private boolean isStale(Team team) {
        return store.find(team.teamId())
                .map(current -> current.spec().revision() != team.spec().revision())
                .orElse(true);
    }
}
