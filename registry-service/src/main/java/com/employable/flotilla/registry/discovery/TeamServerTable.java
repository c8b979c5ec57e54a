package com.employable.flotilla.registry.discovery;

import com.employable.flotilla.common.cloudevents.EventJson;
import com.employable.flotilla.common.events.registry.ServerStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The discovery table in PostgreSQL. */
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

    /** The team's published entry, if it has a visible server. */
    Optional<RegisteredServer> findVisible(String teamId) {
        return jdbc.sql("""
                select published_view, version, updated_at from team_server
                 where team_id = ? and status is not null""").param(teamId).query(TeamServerTable::registered).optional();
    }

    List<RegisteredServer> pageVisible(Collection<ServerStatus> statuses, int offset, int limit) {
        return jdbc.sql("""
                select published_view, version, updated_at from team_server
                 where status is not null and status = any(?)
                 order by team_id offset ? limit ?""")
                .params(names(statuses), offset, limit)
                .query(TeamServerTable::registered)
                .list();
    }

    long countVisible(Collection<ServerStatus> statuses) {
        return jdbc.sql("select count(*) from team_server where status is not null and status = any(?)")
                .param(names(statuses))
                .query(Long.class)
                .single();
    }

    private static String[] names(Collection<ServerStatus> statuses) {
        return statuses.stream().map(Enum::name).toArray(String[]::new);
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
