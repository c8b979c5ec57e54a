package com.employable.flotilla.provisioner.team;

/** A team's row: the desired state from events and the status reconciles write, kept apart. */
public record Team(TeamSpec spec, TeamStatus status) {

    public String teamId() {
        return spec.teamId();
    }
}
