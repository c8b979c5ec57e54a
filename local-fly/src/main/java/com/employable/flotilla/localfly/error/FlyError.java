package com.employable.flotilla.localfly.error;

/**
 * An answer in Fly's error shape: {@code {"error": "...", "status": "..."}} with an HTTP status. Every resource
 * throws it, so it lives below them all and the API only renders it.
 */
public final class FlyError extends RuntimeException {

    private final int httpStatus;
    private final String flyStatus;

    public FlyError(int httpStatus, String message) {
        this(httpStatus, message, null);
    }

    public FlyError(int httpStatus, String message, String flyStatus) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.flyStatus = flyStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String flyStatus() {
        return flyStatus;
    }

    public static FlyError notFound(String what) {
        return new FlyError(404, what + " not found");
    }
}
