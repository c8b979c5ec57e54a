package com.employable.flotilla.provisioner.team;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code team} table: spec columns are written by events, status columns by reconciles. */
@Repository
public class TeamRepository {

    private static final String COLUMNS = "team_id, revision, name, plan, region, suspended, deleted, app_name, "
            + "create_key, pending_outcome, status, observed_revision, placed_region, secrets_digest, conditions, "
            + "last_stage, last_error, attempts, next_attempt_at";

    private final JdbcClient jdbc;

    TeamRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Team> find(String teamId) {
        return jdbc.sql("select " + COLUMNS + " from team where team_id = ?")
                .param(teamId)
                .query(TeamRepository::team)
                .optional();
    }

    /**
     * Locks the row for the rest of the transaction: desired-state writes and announcements for one team serialise
     * here.
     */
    public Optional<Team> lock(String teamId) {
        return jdbc.sql("select " + COLUMNS + " from team where team_id = ? for update")
                .param(teamId)
                .query(TeamRepository::team)
                .optional();
    }

    void insert(TeamSpec spec) {
        jdbc.sql("""
                insert into team (team_id, revision, name, plan, region, app_name, create_key, pending_outcome)
                values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        spec.teamId(),
                        spec.revision(),
                        spec.name(),
                        spec.plan(),
                        spec.region(),
                        spec.appName(),
                        spec.createKey(),
                        wire(spec.announce()))
                .update();
    }

    /** A new revision of the desired state: the reconcile starts afresh (no attempts, no back-off). */
    void updateDesired(TeamSpec spec) {
        jdbc.sql("""
                update team set revision = ?, plan = ?, region = ?, suspended = ?, deleted = ?, pending_outcome = ?,
                       attempts = 0, next_attempt_at = null, status = ?, updated_at = now()
                where team_id = ?""")
                .params(
                        spec.revision(),
                        spec.plan(),
                        spec.region(),
                        spec.suspended(),
                        spec.deleted(),
                        wire(spec.announce()),
                        (spec.deleted() ? Phase.DELETING : Phase.PENDING).wire(),
                        spec.teamId())
                .update();
    }

    void fillCreate(String teamId, String name, String region) {
        jdbc.sql("""
                update team set name = ?, region = ?, status = ?, pending_outcome = ?, updated_at = now()
                where team_id = ?""")
                .params(name, region, Phase.PENDING.wire(), Announcement.PROVISIONED.wire(), teamId)
                .update();
    }

    void awaitCreate(String teamId, long revision) {
        jdbc.sql("""
                update team set status = ?, converged_at = now(), updated_at = now()
                where team_id = ? and revision = ?""").params(Phase.AWAITING_CREATE.wire(), teamId, revision).update();
    }

    /** A replaced machine changes the team's machine list: announce it once the replacement runs. */
    public void markReplacement(String teamId) {
        jdbc.sql("""
                update team set pending_outcome = coalesce(pending_outcome, 'updated'), updated_at = now()
                where team_id = ? and not deleted""").param(teamId).update();
    }

    void countStale(String teamId) {
        jdbc.sql("update team set stale_events = stale_events + 1 where team_id = ?")
                .param(teamId)
                .update();
    }

    public List<String> liveTeamIds() {
        return jdbc.sql("select team_id from team where not (deleted and status = 'deleted') order by team_id")
                .query(String.class)
                .list();
    }

    /** Live teams and the app each runs in: what the periodic observation lists. */
    public record TeamApp(String teamId, String appName) {}

    public List<TeamApp> liveTeamApps() {
        return jdbc.sql("select team_id, app_name from team where not deleted and status <> 'awaiting-create'")
                .query((rs, row) -> new TeamApp(rs.getString("team_id"), rs.getString("app_name")))
                .list();
    }

    /** Asks the team's owner (another instance, maybe) for a reconcile; it picks the request up within a second. */
    public void requestReconcile(String teamId) {
        jdbc.sql("update team set reconcile_requested_at = now() where team_id = ? and reconcile_requested_at is null")
                .param(teamId)
                .update();
    }

    /** Teams some instance asked a reconcile for. */
    public List<String> reconcileRequested() {
        return jdbc.sql("select team_id from team where reconcile_requested_at is not null limit 500")
                .query(String.class)
                .list();
    }

    /** The owner took these requests: cleared, as the reconcile it runs next covers any made meanwhile. */
    public void takeReconcileRequests(List<String> teamIds) {
        jdbc.sql("update team set reconcile_requested_at = null where team_id = any(?)")
                .param(teamIds.toArray(String[]::new))
                .update();
    }

    public List<String> dueForRetry(Instant now) {
        return jdbc.sql("select team_id from team where next_attempt_at <= ? order by next_attempt_at limit 500")
                .param(Timestamp.from(now))
                .query(String.class)
                .list();
    }

    /** Teams that still own an app (live or being deleted): the sweep's yardstick for a plausible database. */
    public int liveTeamCount() {
        return jdbc.sql("select count(*) from team where not (deleted and status = 'deleted')")
                .query(Integer.class)
                .single();
    }

    /** Apps the platform still owns a team for, live or being deleted. */
    public boolean ownsApp(String appName) {
        return jdbc.sql("select count(*) from team where app_name = ? and not (deleted and status = 'deleted')")
                        .param(appName)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    /**
     * Writes a reconcile's status, only while the row still holds the revision that reconcile read: a newer event
     * meanwhile makes it stale. A convergence also clears the announcement it made.
     *
     * @return whether the status was written
     */
    public boolean writeStatus(String teamId, long revision, TeamStatus status, boolean announced) {
        return jdbc.sql("""
                update team set status = ?, observed_revision = ?, placed_region = ?,
                       secrets_digest = case when ? then ? else secrets_digest end,
                       conditions = ?, last_stage = ?, last_error = ?, attempts = ?, next_attempt_at = ?,
                       pending_outcome = case when ? then null else pending_outcome end,
                       converged_at = case when ? then now() else converged_at end, updated_at = now()
                where team_id = ? and revision = ?""")
                        .params(
                                status.phase().wire(),
                                status.observedRevision(),
                                status.placedRegion(),
                                wroteSecrets(status),
                                status.secretsDigest(),
                                status.conditionsText(),
                                status.lastStage(),
                                status.lastError(),
                                status.attempts(),
                                timestamp(status.nextAttemptAt()),
                                announced,
                                announced,
                                teamId,
                                revision)
                        .update()
                > 0;
    }

    /**
     * Only a pass that wrote the secrets records their digest: any other pass carries the digest it read, and writing
     * that back would undo a change made meanwhile (an operator clearing it to have the secrets written again).
     */
    private static boolean wroteSecrets(TeamStatus status) {
        return status.conditions().stream()
                .anyMatch(condition ->
                        "secrets".equals(condition.resource()) && condition.state() == Condition.State.CHANGED);
    }

    /** What operators see of a team ({@code GET /v1/teams/{id}}). */
    public record TeamView(
            String teamId,
            long revision,
            String plan,
            String region,
            String status,
            boolean suspended,
            boolean deleted,
            String appName,
            int attempts,
            String lastStage,
            String lastError,
            Instant nextAttemptAt,
            long staleEvents,
            Long observedRevision,
            String conditions) {}

    public Optional<TeamView> view(String teamId) {
        return jdbc.sql("""
                select team_id, revision, plan, coalesce(placed_region, region) as region, status, suspended, deleted,
                       app_name, attempts, last_stage, last_error, next_attempt_at, stale_events, observed_revision,
                       conditions
                from team where team_id = ?""")
                .param(teamId)
                .query((rs, row) -> new TeamView(
                        rs.getString("team_id"),
                        rs.getLong("revision"),
                        rs.getString("plan"),
                        rs.getString("region"),
                        rs.getString("status"),
                        rs.getBoolean("suspended"),
                        rs.getBoolean("deleted"),
                        rs.getString("app_name"),
                        rs.getInt("attempts"),
                        rs.getString("last_stage"),
                        rs.getString("last_error"),
                        instant(rs, "next_attempt_at"),
                        rs.getLong("stale_events"),
                        rs.getObject("observed_revision", Long.class),
                        rs.getString("conditions")))
                .optional();
    }

    private static Team team(ResultSet rs, int row) throws SQLException {
        var spec = new TeamSpec(
                rs.getString("team_id"),
                rs.getLong("revision"),
                rs.getString("name"),
                rs.getString("plan"),
                rs.getString("region"),
                rs.getBoolean("suspended"),
                rs.getBoolean("deleted"),
                rs.getString("app_name"),
                rs.getString("create_key"),
                Announcement.of(rs.getString("pending_outcome")));
        var status = new TeamStatus(
                Phase.of(rs.getString("status")),
                rs.getObject("observed_revision", Long.class),
                rs.getString("placed_region"),
                rs.getString("secrets_digest"),
                TeamStatus.parseConditions(rs.getString("conditions")),
                rs.getString("last_stage"),
                rs.getString("last_error"),
                rs.getInt("attempts"),
                instant(rs, "next_attempt_at"));
        return new Team(spec, status);
    }

    private static String wire(Announcement announcement) {
        return announcement == null ? null : announcement.wire();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
