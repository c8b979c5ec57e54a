package com.employable.flotilla.common.events;

/** An event that breaks its contract: never retried, always dead-lettered with this message as the reason. */
public class InvalidEventException extends IllegalArgumentException {

    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
