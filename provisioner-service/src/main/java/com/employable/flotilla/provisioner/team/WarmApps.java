package com.employable.flotilla.provisioner.team;

import java.util.Optional;

/**
 * Where a new team's server comes from: an app of the warm pool claimed for it, or (empty) its own app created cold.
 * Implemented by the pool; {@code team} and {@code reconcile} only see this.
 */
public interface WarmApps {

    /**
     * Binds a ready pool app in the team's region group to the team, in the caller's transaction, so the claim and the
     * team row that names the app commit together or not at all; two claims never get one app.
     *
     * @return the claimed app, empty when the pool has none (the team's own app is then created cold)
     */
    Optional<String> claim(String teamId, String region);

    /** Whether the pool's record says this pool app was claimed by this team (and so is its app for good). */
    boolean claimedBy(String teamId, String app);

    /** The team's claimed app was deleted with the team: its entry is over (a pool app is never returned). */
    void released(String teamId, String app);

    /** No pool: every team's app is created cold. */
    WarmApps NONE = new WarmApps() {
        @Override
        public Optional<String> claim(String teamId, String region) {
            return Optional.empty();
        }

        @Override
        public boolean claimedBy(String teamId, String app) {
            return false;
        }

        @Override
        public void released(String teamId, String app) {}
    };
}
