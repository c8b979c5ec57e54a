package com.employable.flotilla.provisioner.fly;

/**
 * A Fly API call that did not succeed: an HTTP error with Fly's error body, an I/O failure (status 0) or a call the
 * client refused to make (circuit open). Carries what the reconciler needs to decide: retry, fall back, or give up.
 */
public class FlyApiException extends RuntimeException {

    public static final int IO_ERROR = 0;

    private final int status;
    private final String flyStatus;
    private final String endpoint;

    public FlyApiException(String endpoint, int status, String flyStatus, String message, Throwable cause) {
        super(endpoint + ": " + (status == IO_ERROR ? "I/O error" : "HTTP " + status) + " " + message, cause);
        this.endpoint = endpoint;
        this.status = status;
        this.flyStatus = flyStatus;
    }

    public int status() {
        return status;
    }

    /** Fly's {@code status} field of the error body, e.g. {@code insufficient_capacity}, {@code name_taken}. */
    public String flyStatus() {
        return flyStatus;
    }

    public String endpoint() {
        return endpoint;
    }

    public boolean notFound() {
        return status == 404;
    }

    /** Transient by Fly's own client's rule (flyctl: 408, 429 and 5xx), plus I/O errors. */
    public boolean retryable() {
        return status == IO_ERROR || status == 408 || status == 429 || status >= 500;
    }

    /**
     * The outcome of the call is unknown: the request may have taken effect. A create that ends like this must be
     * resolved by looking the resource up before any retry.
     */
    public boolean ambiguous() {
        return status == IO_ERROR || status == 408 || status >= 500;
    }

    /**
     * Fly refused an action from the machine's current state ("unable to suspend machine from current state"): the
     * machine was moving (starting, updating) and settles by itself, so a later try can succeed.
     */
    public boolean stateConflict() {
        return status == 412 && getMessage().toLowerCase(java.util.Locale.ROOT).contains("current state");
    }

    /** Fly signals lack of capacity with a status field, and field reports show 412/409/403 bodies saying so. */
    public boolean capacity() {
        if ("insufficient_capacity".equals(flyStatus)) {
            return true;
        }
        String message = getMessage().toLowerCase(java.util.Locale.ROOT);
        return (status == 409 || status == 412 || status == 403)
                && (message.contains("capacity") || message.contains("insufficient") || message.contains("quota"));
    }
}
