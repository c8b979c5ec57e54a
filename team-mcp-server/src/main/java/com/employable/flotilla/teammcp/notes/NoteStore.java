package com.employable.flotilla.teammcp.notes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The team's notes in PostgreSQL. Isolation is the database's job: the connection's role can only see and change its
 * own team's rows (row-level security, see db/team-schema.sql). Every statement also names the team explicitly, as a
 * second, independent fence; all caller input travels as bind parameters.
 */
final class NoteStore {

    /** First key of the advisory lock that serialises note creation per team, so the cap holds under concurrency. */
    private static final int ADD_LOCK_NAMESPACE = 0x466c6f74;

    private final NotesDatabase database;
    private final String teamId;

    NoteStore(NotesDatabase database, String teamId) {
        this.database = database;
        this.teamId = teamId;
    }

    record Page(List<Note> notes, Optional<PageCursor> next, long total) {}

    record Hit(Note note, float rank) {}

    /** Empty when the team already holds {@link NoteLimits#NOTES_PER_TEAM} notes. */
    Optional<Note> add(String title, String body) throws SQLException {
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lock =
                        connection.prepareStatement("select pg_advisory_xact_lock(?, hashtext(?))")) {
                    lock.setInt(1, ADD_LOCK_NAMESPACE);
                    lock.setString(2, teamId);
                    lock.execute();
                }
                Optional<Note> added;
                try (PreparedStatement insert = connection.prepareStatement("""
                        insert into flotilla_team.note (team_id, title, body)
                        select ?, ?, ?
                        where (select count(*) from flotilla_team.note where team_id = ?) < ?
                        returning id, title, body, char_length(body), created_at""")) {
                    insert.setString(1, teamId);
                    insert.setString(2, title);
                    insert.setString(3, body);
                    insert.setString(4, teamId);
                    insert.setInt(5, NoteLimits.NOTES_PER_TEAM);
                    try (ResultSet rows = insert.executeQuery()) {
                        added = rows.next() ? Optional.of(note(rows)) : Optional.empty();
                    }
                }
                connection.commit();
                return added;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    Optional<Note> get(UUID id) throws SQLException {
        try (Connection connection = database.connection();
                PreparedStatement select = connection.prepareStatement("""
                     select id, title, body, char_length(body), created_at
                     from flotilla_team.note where team_id = ? and id = ?""")) {
            select.setString(1, teamId);
            select.setObject(2, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(note(rows)) : Optional.empty();
            }
        }
    }

    Page list(Optional<PageCursor> after, int limit) throws SQLException {
        try (Connection connection = database.connection()) {
            long total;
            try (PreparedStatement count =
                    connection.prepareStatement("select count(*) from flotilla_team.note where team_id = ?")) {
                count.setString(1, teamId);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            // one extra row tells whether another page follows
            String sql = """
                    select id, title, left(body, ?), char_length(body), created_at
                    from flotilla_team.note
                    where team_id = ?""" + (after.isPresent() ? " and (created_at, id) < (?, ?)" : "") + """

                    order by created_at desc, id desc
                    limit ?""";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                int index = 1;
                select.setInt(index++, NoteLimits.PREVIEW_CHARS);
                select.setString(index++, teamId);
                if (after.isPresent()) {
                    select.setObject(
                            index++, OffsetDateTime.ofInstant(after.get().createdAt(), ZoneOffset.UTC));
                    select.setObject(index++, after.get().id());
                }
                select.setInt(index, limit + 1);
                var notes = new ArrayList<Note>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        notes.add(note(rows));
                    }
                }
                Optional<PageCursor> next = Optional.empty();
                if (notes.size() > limit) {
                    notes.remove(limit);
                    Note last = notes.get(limit - 1);
                    next = Optional.of(new PageCursor(last.createdAt(), last.id()));
                }
                return new Page(notes, next, total);
            }
        }
    }

    List<Hit> search(SearchQuery query, int limit) throws SQLException {
        try (Connection connection = database.connection();
                PreparedStatement select = connection.prepareStatement("""
                     select n.id, n.title, left(n.body, ?), char_length(n.body), n.created_at,
                            ts_rank(n.search, q.query) as rank
                     from flotilla_team.note n, to_tsquery('simple', ?) as q(query)
                     where n.team_id = ? and n.search @@ q.query
                     order by rank desc, n.created_at desc, n.id desc
                     limit ?""")) {
            select.setInt(1, NoteLimits.PREVIEW_CHARS);
            select.setString(2, query.toTsQuery());
            select.setString(3, teamId);
            select.setInt(4, limit);
            var hits = new ArrayList<Hit>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    hits.add(new Hit(note(rows), rows.getFloat(6)));
                }
            }
            return hits;
        }
    }

    boolean delete(UUID id) throws SQLException {
        try (Connection connection = database.connection();
                PreparedStatement delete =
                        connection.prepareStatement("delete from flotilla_team.note where team_id = ? and id = ?")) {
            delete.setString(1, teamId);
            delete.setObject(2, id);
            return delete.executeUpdate() == 1;
        }
    }

    private static Note note(ResultSet rows) throws SQLException {
        return new Note(
                rows.getObject(1, UUID.class),
                rows.getString(2),
                rows.getString(3),
                rows.getInt(4),
                rows.getObject(5, OffsetDateTime.class).toInstant());
    }
}
