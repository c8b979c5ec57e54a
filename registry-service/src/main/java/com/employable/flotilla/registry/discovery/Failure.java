package com.employable.flotilla.registry.discovery;

import java.time.Instant;

/**
 * Why the latest provisioning attempt failed, as the provisioner reported it (never a secret).
 *
 * @param stage the reconcile step that failed
 * @param error what went wrong
 * @param retryable whether the provisioner tries again
 * @param attempt the attempt that failed, from 1
 * @param nextAttemptAt when the next attempt is due, if retryable
 */
public record Failure(String stage, String error, boolean retryable, int attempt, Instant nextAttemptAt) {}
