package com.employable.flotilla.teammcp.tools;

/** The caller's arguments are not acceptable; the message tells the agent what to change. */
public final class ToolInputException extends RuntimeException {

    public ToolInputException(String message) {
        super(message, null, false, false);
    }
}
