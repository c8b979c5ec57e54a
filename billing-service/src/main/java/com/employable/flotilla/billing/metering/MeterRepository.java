package com.employable.flotilla.billing.metering;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class MeterRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;

    MeterRepository(JdbcClient jdbc, JdbcTemplate batches) {
        this.jdbc = jdbc;
        this.batches = batches;
    }

    /** @return the changes actually stored: a duplicate (same event id) is skipped, so replays change nothing */
    List<StateChange> insertAll(List<StateChange> changes) {
        // one statement per poll, arrays unnested server-side: a round trip per event caps metering far below the
        // pace a fleet resync publishes at
        Set<String> stored = batches.execute((ConnectionCallback<Set<String>>) connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into machine_state (event_id, team_id, machine_id, app, region, cpu_kind, cpus, memory_mb,
                                               rootfs_gb, state, at)
                    select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[],
                                         ?::int[], ?::int[], ?::text[], ?::timestamptz[])
                    on conflict (event_id) do nothing
                    returning event_id""")) {
                insert.setArray(1, connection.createArrayOf("text", column(changes, StateChange::eventId)));
                insert.setArray(2, connection.createArrayOf("text", column(changes, StateChange::teamId)));
                insert.setArray(3, connection.createArrayOf("text", column(changes, StateChange::machineId)));
                insert.setArray(4, connection.createArrayOf("text", column(changes, StateChange::app)));
                insert.setArray(5, connection.createArrayOf("text", column(changes, StateChange::region)));
                insert.setArray(6, connection.createArrayOf("text", column(changes, StateChange::cpuKind)));
                insert.setArray(7, connection.createArrayOf("int4", column(changes, StateChange::cpus)));
                insert.setArray(8, connection.createArrayOf("int4", column(changes, StateChange::memoryMb)));
                insert.setArray(9, connection.createArrayOf("int4", column(changes, StateChange::rootfsGb)));
                insert.setArray(10, connection.createArrayOf("text", column(changes, StateChange::state)));
                insert.setArray(
                        11,
                        connection.createArrayOf(
                                "timestamptz", column(changes, change -> Timestamp.from(change.at()))));
                Set<String> ids = new HashSet<>();
                try (ResultSet rows = insert.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                }
                return ids;
            }
        });
        List<StateChange> inserted = new ArrayList<>(stored.size());
        for (StateChange change : changes) {
            // a batch may carry the same event twice: the first copy stands for the stored row
            if (stored.remove(change.eventId())) {
                inserted.add(change);
            }
        }
        return inserted;
    }

    private static Object[] column(List<StateChange> changes, Function<StateChange, Object> value) {
        Object[] column = new Object[changes.size()];
        for (int i = 0; i < column.length; i++) {
            column[i] = value.apply(changes.get(i));
        }
        return column;
    }

    /** Advisory-lock namespace of billing's per-team locks ("bill"), apart from every other advisory lock. */
    private static final int TEAM_LOCKS = 0x62696c6c;

    /** Teams share this many locks, so a poll of thousands of teams takes at most this many (PostgreSQL's lock table is small). */
    static final int TEAM_LOCK_BUCKETS = 256;

    /**
     * Serialises, per team, storing machine states with closing hours until the transaction ends: transaction-scoped
     * advisory locks, one per bucket of teams, taken in bucket order so two transactions never wait on each other in a
     * circle. A row lock on the watermark cannot do it: a team's first close has no row to lock yet.
     */
    void lockTeams(Collection<String> teamIds) {
        Integer[] buckets = teamIds.stream()
                // String.hashCode is fixed by the language: every instance maps a team to the same bucket
                .map(team -> Math.floorMod(team.hashCode(), TEAM_LOCK_BUCKETS))
                .distinct()
                .sorted()
                .toArray(Integer[]::new);
        jdbc.sql("""
                select count(pg_advisory_xact_lock(?, bucket))
                from unnest(?::int[]) with ordinality as buckets(bucket, position)""").params(TEAM_LOCKS, buckets).query(Long.class).single();
    }

    /** Each team's closed watermark, locked until the transaction ends (closing takes the same lock). */
    Map<String, Instant> closedThroughAll(Collection<String> teamIds) {
        return jdbc
                .sql("select team_id, closed_through from team_meter where team_id = any(?) for update")
                .param(teamIds.toArray(String[]::new))
                .query((rs, row) ->
                        Map.entry(rs.getString(1), rs.getTimestamp(2).toInstant()))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Everything that can contribute to {@code [.., end)}: changes before the end, per machine from its last before. */
    public List<StateChange> changes(String teamId, Instant end) {
        return jdbc.sql("""
                select event_id, team_id, machine_id, app, region, cpu_kind, cpus, memory_mb, rootfs_gb, state, at
                from machine_state where team_id = ? and at < ? order by at, event_id""")
                .params(teamId, Timestamp.from(end))
                .query(MeterRepository::change)
                .list();
    }

    public List<String> teams() {
        return jdbc.sql("select distinct team_id from machine_state order by team_id")
                .query(String.class)
                .list();
    }

    Optional<Instant> closedThrough(String teamId) {
        return jdbc.sql("select closed_through from team_meter where team_id = ? for update")
                .param(teamId)
                .query(Timestamp.class)
                .optional()
                .map(Timestamp::toInstant);
    }

    public Optional<Instant> closedThroughNow(String teamId) {
        return jdbc.sql("select closed_through from team_meter where team_id = ?")
                .param(teamId)
                .query(Timestamp.class)
                .optional()
                .map(Timestamp::toInstant);
    }

    void closedThrough(String teamId, Instant through) {
        jdbc.sql("""
                insert into team_meter (team_id, closed_through) values (?, ?)
                on conflict (team_id) do update set closed_through = excluded.closed_through""").params(teamId, Timestamp.from(through)).update();
    }

    Optional<Instant> firstChange(String teamId) {
        return jdbc.sql("select min(at) from machine_state where team_id = ?")
                .param(teamId)
                .query(Timestamp.class)
                .optional()
                .map(Timestamp::toInstant);
    }

    /** The team's latest change, and whether every machine's last state is destroyed (nothing accrues any more). */
    record Activity(Instant lastChange, boolean allDestroyed) {}

    Activity activity(String teamId) {
        return jdbc.sql("""
                select max(at) as last_change,
                       bool_and(state = 'destroyed') as all_destroyed
                from (select distinct on (machine_id) machine_id, state, at from machine_state
                      where team_id = ? order by machine_id, at desc, event_id desc) latest""")
                .param(teamId)
                .query((rs, row) -> new Activity(
                        rs.getTimestamp(1) == null ? null : rs.getTimestamp(1).toInstant(), rs.getBoolean(2)))
                .single();
    }

    record RecordedHour(String usageId, String priceBook, BigDecimal total, String linesJson) {}

    Optional<RecordedHour> recorded(String teamId, Instant hourStart) {
        return jdbc.sql(
                        "select usage_id, price_book, total, lines::text from usage_hour where team_id = ? and hour_start = ?")
                .params(teamId, Timestamp.from(hourStart))
                .query((rs, row) ->
                        new RecordedHour(rs.getString(1), rs.getString(2), rs.getBigDecimal(3), rs.getString(4)))
                .optional();
    }

    void record(String usageId, String teamId, Instant hourStart, String priceBook, BigDecimal total, String lines) {
        jdbc.sql("""
                insert into usage_hour (usage_id, team_id, hour_start, price_book, total, lines)
                values (?, ?, ?, ?, ?, cast(? as jsonb))""")
                .params(usageId, teamId, Timestamp.from(hourStart), priceBook, total, lines)
                .update();
    }

    void adjust(String usageId, BigDecimal total, String lines) {
        jdbc.sql("update usage_hour set total = ?, lines = cast(? as jsonb), adjusted_at = now() where usage_id = ?")
                .params(total, lines, usageId)
                .update();
    }

    public BigDecimal recordedTotal(String teamId, Instant from, Instant to) {
        return jdbc.sql(
                        "select coalesce(sum(total), 0) from usage_hour where team_id = ? and hour_start >= ? and hour_start < ?")
                .params(teamId, Timestamp.from(from), Timestamp.from(to))
                .query(BigDecimal.class)
                .single();
    }

    public record HourTotal(String teamId, Instant hourStart, BigDecimal total) {}

    public List<HourTotal> hourTotals(String teamId, Instant from, Instant to) {
        return jdbc.sql("""
                select team_id, hour_start, total from usage_hour
                where (cast(? as text) is null or team_id = ?) and hour_start >= ? and hour_start < ?
                order by team_id, hour_start""")
                .params(teamId, teamId, Timestamp.from(from), Timestamp.from(to))
                .query((rs, row) ->
                        new HourTotal(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getBigDecimal(3)))
                .list();
    }

    void plan(String teamId, String plan, long revision) {
        jdbc.sql("""
                insert into team_plan (team_id, plan, revision) values (?, ?, ?)
                on conflict (team_id) do update set plan = excluded.plan, revision = excluded.revision
                where team_plan.revision < excluded.revision""").params(teamId, plan, revision).update();
    }

    public Optional<String> planOf(String teamId) {
        return jdbc.sql("select plan from team_plan where team_id = ?")
                .param(teamId)
                .query(String.class)
                .optional();
    }

    boolean firstBudgetAlert(String teamId, String month) {
        return jdbc.sql("insert into budget_alert (team_id, month) values (?, ?) on conflict do nothing")
                        .params(teamId, month)
                        .update()
                == 1;
    }

    private static StateChange change(ResultSet rs, int row) throws SQLException {
        return new StateChange(
                rs.getString("event_id"),
                rs.getString("team_id"),
                rs.getString("machine_id"),
                rs.getString("app"),
                rs.getString("region"),
                rs.getString("cpu_kind"),
                rs.getInt("cpus"),
                rs.getInt("memory_mb"),
                rs.getInt("rootfs_gb"),
                rs.getString("state"),
                rs.getTimestamp("at").toInstant());
    }
}
