package com.employable.flotilla.provisioner.team;

/** What the last reconcile found for one resource of the team's app. */
public record Condition(String resource, State state) {

    public enum State {
        IN_SYNC,
        CHANGED,
        WAITING,
        FAILED
    }

    @Override
    public String toString() {
        return resource + "=" + state;
    }

    static Condition parse(String text) {
        int equals = text.indexOf('=');
        return new Condition(text.substring(0, equals), State.valueOf(text.substring(equals + 1)));
    }
}
