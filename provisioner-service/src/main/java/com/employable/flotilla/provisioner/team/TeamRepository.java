package com.employable.flotilla.provisioner.team;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class TeamRepository {

    private static final String COLUMNS = "team_id, revision, plan, region, suspended, deleted, app_name, create_key, "
            + "pending_outcome, status, placed_region, attempts, next_attempt_at, secrets_digest";

    private final JdbcClient jdbc;

    TeamRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Team> find(String teamId) {
        return jdbc.sql("select " + COLUMNS + " from team where team_id = ?").param(teamId).query(TeamRepository::team)
                .optional();
    }

    /** Locks the row for the rest of the transaction: desired-state writes for one team serialise here. */
    Optional<Team> lock(String teamId) {
        return jdbc.sql("select " + COLUMNS + " from team where team_id = ? for update").param(teamId)
                .query(TeamRepository::team).optional();
    }

    void insert(String teamId, long revision, String name, String plan, String region, String appName,
                String createKey, String pendingOutcome) {
        jdbc.sql("""
                insert into team (team_id, revision, name, plan, region, app_name, create_key, pending_outcome)
                values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(teamId, revision, name, plan, region, appName, createKey, pendingOutcome).update();
    }

    void updateDesired(String teamId, long revision, String plan, String region, boolean suspended, boolean deleted,
                       String pendingOutcome) {
        jdbc.sql("""
                update team set revision = ?, plan = ?, region = ?, suspended = ?, deleted = ?, pending_outcome = ?,
                       attempts = 0, next_attempt_at = null, status = case when ? then 'deleting' else 'pending' end,
                       updated_at = now()
                where team_id = ?""")
                .params(revision, plan, region, suspended, deleted, pendingOutcome, deleted, teamId).update();
    }

    void fillCreate(String teamId, String name, String region) {
        jdbc.sql("""
                update team set name = ?, region = ?, status = 'pending', pending_outcome = 'provisioned',
                       updated_at = now()
                where team_id = ?""").params(name, region, teamId).update();
    }

    /** A replaced machine changes the team's machine list: announce it once the replacement runs. */
    public void markReplacement(String teamId) {
        jdbc.sql("""
                update team set pending_outcome = coalesce(pending_outcome, 'updated'), updated_at = now()
                where team_id = ? and not deleted""").param(teamId).update();
    }

    void countStale(String teamId) {
        jdbc.sql("update team set stale_events = stale_events + 1 where team_id = ?").param(teamId).update();
    }

    public long staleEvents(String teamId) {
        return jdbc.sql("select stale_events from team where team_id = ?").param(teamId).query(Long.class).optional()
                .orElse(0L);
    }

    public List<String> liveTeamIds() {
        return jdbc.sql("select team_id from team where not (deleted and status = 'deleted') order by team_id")
                .query(String.class).list();
    }

    public List<String> dueForRetry(Instant now) {
        return jdbc.sql("select team_id from team where next_attempt_at <= ? order by next_attempt_at limit 500")
                .param(Timestamp.from(now)).query(String.class).list();
    }

    /** Teams that still own an app (live or being deleted): the sweep's yardstick for a plausible database. */
    public int liveTeamCount() {
        return jdbc.sql("select count(*) from team where not (deleted and status = 'deleted')").query(Integer.class)
                .single();
    }

    /** Apps the platform still owns a team for, live or being deleted. */
    public boolean ownsApp(String appName) {
        return jdbc.sql("select count(*) from team where app_name = ? and not (deleted and status = 'deleted')")
                .param(appName).query(Integer.class).single() > 0;
    }

    public void converged(String teamId, long revision, String status, String placedRegion) {
        jdbc.sql("""
                update team set status = ?, placed_region = coalesce(?, placed_region), attempts = 0,
                       next_attempt_at = null, last_stage = null, last_error = null, pending_outcome = null,
                       converged_at = now(), updated_at = now()
                where team_id = ? and revision = ?""")
                .params(status, placedRegion, teamId, revision).update();
    }

    public void placed(String teamId, String region) {
        jdbc.sql("update team set placed_region = ? where team_id = ?").params(region, teamId).update();
    }

    public void secretsWritten(String teamId, String digest) {
        jdbc.sql("update team set secrets_digest = ? where team_id = ?").params(digest, teamId).update();
    }

    public void failed(String teamId, long revision, String stage, String error, int attempts, Instant nextAttemptAt,
                       boolean terminal) {
        jdbc.sql("""
                update team set attempts = ?, next_attempt_at = ?, last_stage = ?, last_error = ?,
                       status = case when ? then 'failed' else status end, updated_at = now()
                where team_id = ? and revision = ?""")
                .params(attempts, nextAttemptAt == null ? null : Timestamp.from(nextAttemptAt), stage, error, terminal,
                        teamId, revision)
                .update();
    }

    public record TeamStatus(String teamId, long revision, String plan, String region, String status,
                             boolean suspended, boolean deleted, String appName, int attempts, String lastStage,
                             String lastError, Instant nextAttemptAt, long staleEvents) {
    }

    public Optional<TeamStatus> status(String teamId) {
        return jdbc.sql("""
                select team_id, revision, plan, coalesce(placed_region, region) as region, status, suspended, deleted,
                       app_name, attempts, last_stage, last_error, next_attempt_at, stale_events
                from team where team_id = ?""").param(teamId)
                .query((rs, row) -> new TeamStatus(rs.getString("team_id"), rs.getLong("revision"),
                        rs.getString("plan"), rs.getString("region"), rs.getString("status"),
                        rs.getBoolean("suspended"), rs.getBoolean("deleted"), rs.getString("app_name"),
                        rs.getInt("attempts"), rs.getString("last_stage"), rs.getString("last_error"),
                        instant(rs, "next_attempt_at"), rs.getLong("stale_events")))
                .optional();
    }

    private static Team team(ResultSet rs, int row) throws SQLException {
        return new Team(rs.getString("team_id"), rs.getLong("revision"), rs.getString("plan"), rs.getString("region"),
                rs.getBoolean("suspended"), rs.getBoolean("deleted"), rs.getString("app_name"),
                rs.getString("create_key"), rs.getString("pending_outcome"), rs.getString("status"),
                rs.getString("placed_region"), rs.getInt("attempts"), instant(rs, "next_attempt_at"),
                rs.getString("secrets_digest"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
