package com.employable.flotilla.registry.auth;

/** The caller could not be authenticated; the message is safe to show to the caller (it never echoes the token). */
public class AuthenticationFailed extends RuntimeException {

    private final Reason reason;

    AuthenticationFailed(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    AuthenticationFailed(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public enum Reason {
        /** No bearer token: RFC 6750 says the challenge then carries no error code. */
        MISSING,
        /** A token that is malformed, expired, wrongly signed or for another issuer or audience. */
        INVALID,
        /** The signing keys could not be fetched: not the caller's fault. */
        KEYS_UNAVAILABLE
    }
}
