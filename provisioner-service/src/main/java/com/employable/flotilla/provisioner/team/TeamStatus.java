package com.employable.flotilla.provisioner.team;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the reconciler knows of a team's app on Fly: written only by reconciles, never by events (except that a new
 * revision resets the attempt count and the phase).
 *
 * @param observedRevision the revision Fly last matched, null before the first convergence
 * @param placedRegion     where capacity allowed the machines last time, null before the first placement
 * @param secretsDigest    digest of the secrets last written to the app (Fly never gives values back)
 * @param lastStage        the resource whose reconcile failed last, null after a convergence
 */
public record TeamStatus(
        Phase phase,
        Long observedRevision,
        String placedRegion,
        String secretsDigest,
        List<Condition> conditions,
        String lastStage,
        String lastError,
        int attempts,
        Instant nextAttemptAt) {

    public TeamStatus {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    public static TeamStatus pending() {
        return new TeamStatus(Phase.PENDING, null, null, null, List.of(), null, null, 0, null);
    }

    /** A terminal failure waits for a new event (or an operator) instead of hammering Fly. */
    public boolean waitsForAnEvent() {
        return phase == Phase.AWAITING_CREATE
                || phase == Phase.DELETED
                || (phase == Phase.FAILED && nextAttemptAt == null);
    }

    public TeamStatus withPhase(Phase newPhase) {
        return new TeamStatus(
                newPhase,
                observedRevision,
                placedRegion,
                secretsDigest,
                conditions,
                lastStage,
                lastError,
                attempts,
                nextAttemptAt);
    }

    public TeamStatus withPlacedRegion(String region) {
        return new TeamStatus(
                phase,
                observedRevision,
                region,
                secretsDigest,
                conditions,
                lastStage,
                lastError,
                attempts,
                nextAttemptAt);
    }

    public TeamStatus withSecretsDigest(String digest) {
        return new TeamStatus(
                phase,
                observedRevision,
                placedRegion,
                digest,
                conditions,
                lastStage,
                lastError,
                attempts,
                nextAttemptAt);
    }

    public TeamStatus withConditions(List<Condition> newConditions) {
        return new TeamStatus(
                phase,
                observedRevision,
                placedRegion,
                secretsDigest,
                newConditions,
                lastStage,
                lastError,
                attempts,
                nextAttemptAt);
    }

    /** On its way again: the requeue, not the failure back-off, decides when the next pass runs. */
    public TeamStatus requeued() {
        return new TeamStatus(
                phase, observedRevision, placedRegion, secretsDigest, conditions, lastStage, lastError, attempts, null);
    }

    public TeamStatus converged(Phase newPhase, long revision) {
        return new TeamStatus(newPhase, revision, placedRegion, secretsDigest, conditions, null, null, 0, null);
    }

    public TeamStatus failed(String stage, String error, boolean retryable, Instant nextAttempt) {
        return new TeamStatus(
                retryable ? phase : Phase.FAILED,
                observedRevision,
                placedRegion,
                secretsDigest,
                conditions,
                stage,
                error,
                attempts + 1,
                nextAttempt);
    }

    String conditionsText() {
        return conditions.stream().map(Condition::toString).collect(Collectors.joining(","));
    }

    static List<Condition> parseConditions(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(Condition::parse).toList();
    }
}
