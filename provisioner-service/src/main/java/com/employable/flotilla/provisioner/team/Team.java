package com.employable.flotilla.provisioner.team;

import java.time.Instant;

/** A team's row: what employable wants (plan, region, suspended, deleted) and where reconciliation stands. */
public record Team(String teamId, long revision, String plan, String region, boolean suspended, boolean deleted,
                   String appName, String createKey, String pendingOutcome, String status, String placedRegion,
                   int attempts, Instant nextAttemptAt, String secretsDigest) {

    public static final String PROVISIONED = "provisioned";
    public static final String UPDATED = "updated";
    public static final String SUSPENDED = "suspended";
    public static final String RESUMED = "resumed";
    public static final String DEPROVISIONED = "deprovisioned";
    /** The region of a team whose create has not arrived yet (in no region group: nothing is placed there). */
    public static final String NO_REGION = "none";

    /** The region machines go to: the one capacity allowed last time, else the one employable asked for. */
    public String targetRegion() {
        return placedRegion != null ? placedRegion : region;
    }
}
