package com.employable.flotilla.provisioner.reconcile;

/** A resource could not converge for a reason worth reporting with its stage; the message is safe to publish. */
final class StepFailure extends RuntimeException {

    private final boolean retryable;

    StepFailure(String message, boolean retryable) {
        super(message, null, false, false);
        this.retryable = retryable;
    }

    boolean retryable() {
        return retryable;
    }
}
