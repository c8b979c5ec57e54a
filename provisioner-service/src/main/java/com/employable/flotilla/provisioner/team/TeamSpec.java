package com.employable.flotilla.provisioner.team;

/**
 * What employable wants for a team, as its lifecycle events say: only events change it, fenced by revision.
 *
 * @param createKey prefix of each machine's create key: finds a machine whose create answer was lost
 * @param announce  the outcome the latest events ask to announce, null once announced
 */
public record TeamSpec(
        String teamId,
        long revision,
        String name,
        String plan,
        String region,
        boolean suspended,
        boolean deleted,
        String appName,
        String createKey,
        Announcement announce) {

    /** The region of a team whose create has not arrived yet (in no region group: nothing is placed there). */
    public static final String NO_REGION = "none";

    public TeamSpec withRevision(long newRevision) {
        return new TeamSpec(teamId, newRevision, name, plan, region, suspended, deleted, appName, createKey, announce);
    }
}
