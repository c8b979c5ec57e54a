package com.employable.flotilla.registry.discovery;

import com.employable.flotilla.common.cloudevents.EventJson;
import com.employable.flotilla.common.events.registry.ServerStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The discovery table in PostgreSQL: written by the listeners ({@link DiscoveryService}), read once per change by each
 * instance's in-memory view ({@link TableFollower}); lookups never read it.
 */
@Repository
class TeamServerTable {

    private final JdbcClient jdbc;

    TeamServerTable(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The team's row, created if missing, locked until the caller's transaction ends: the two listeners (server
     * lifecycle and health) serialise on it, so one team's changes and outbox rows never interleave.
     */
    Row lock(String teamId) {
        jdbc.sql("insert into team_server (team_id, state) values (?, cast(? as jsonb)) on conflict do nothing")
                .params(teamId, write(TeamServer.empty(teamId)))
                .update();
        return jdbc.sql("select * from team_server where team_id = ? for update")
                .param(teamId)
                .query(TeamServerTable::row)
                .single();
    }

    void save(Row row) {
        jdbc.sql("""
                update team_server set state = cast(? as jsonb), status = ?, published_view = ?, version = ?,
                       updated_at = ?
                 where team_id = ?""")
                .params(
                        write(row.state()),
                        row.status() == null ? null : row.status().name(),
                        row.publishedView(),
                        row.version(),
                        row.updatedAt() == null ? null : Timestamp.from(row.updatedAt()),
                        row.state().teamId())
                .update();
    }

    /** Every visible team's published entry, by team id: what a registry instance loads its view with. */
    Map<String, RegisteredServer> allVisible() {
        Map<String, RegisteredServer> visible = new HashMap<>();
        jdbc.sql("select team_id, published_view, version, updated_at from team_server where status is not null")
                .query(rs -> {
                    visible.put(rs.getString("team_id"), registered(rs, 0));
                });
        return visible;
    }

    /** The published entries of these teams; a team without a visible server (any more) is absent. */
    Map<String, RegisteredServer> visible(Collection<String> teamIds) {
        Map<String, RegisteredServer> visible = new HashMap<>();
        jdbc.sql("""
                select team_id, published_view, version, updated_at from team_server
                 where team_id = any(?) and status is not null""").param(teamIds.toArray(String[]::new)).query(rs -> {
            visible.put(rs.getString("team_id"), registered(rs, 0));
        });
        return visible;
    }

    private static Row row(ResultSet rs, int rowNum) throws SQLException {
        String status = rs.getString("status");
        Timestamp updatedAt = rs.getTimestamp("updated_at");
        return new Row(
                EventJson.MAPPER.readValue(rs.getString("state"), TeamServer.class),
                status == null ? null : ServerStatus.valueOf(status),
                rs.getString("published_view"),
                rs.getLong("version"),
                updatedAt == null ? null : updatedAt.toInstant());
    }

    private static RegisteredServer registered(ResultSet rs, int rowNum) throws SQLException {
        return new RegisteredServer(
                EventJson.MAPPER.readValue(rs.getString("published_view"), ServerView.class),
                rs.getLong("version"),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static String write(TeamServer state) {
        return EventJson.MAPPER.writeValueAsString(state);
    }

    /**
     * One team's row.
     * @param state what the registry knows
     * @param status the published status, null while nothing visible is published
     * @param publishedView the JSON of the last published view, null after a tombstone or before the first entry
     * @param version the version of the last publication (entry or tombstone)
     * @param updatedAt when the registry last published a change
     */
    record Row(TeamServer state, ServerStatus status, String publishedView, long version, Instant updatedAt) {}
}
