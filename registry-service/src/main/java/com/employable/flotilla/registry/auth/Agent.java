package com.employable.flotilla.registry.auth;

/**
 * A caller whose employable token was verified.
 *
 * @param subject the token's {@code sub} (the user or agent)
 * @param teamId the team the token belongs to, from the configured claim; null when the token names none
 * @param admin whether the token carries the operator role
 */
public record Agent(String subject, String teamId, boolean admin) {

    /** Registry entries: a team's own members, and operators. */
    public boolean mayRead(String team) {
        return admin || isMemberOf(team);
    }

    /** A team's MCP server: its own members only; the operator role reads entries but does not open servers. */
    public boolean isMemberOf(String team) {
        return teamId != null && teamId.equals(team);
    }
}
