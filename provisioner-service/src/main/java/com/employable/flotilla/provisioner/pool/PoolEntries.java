package com.employable.flotilla.provisioner.pool;

import com.employable.flotilla.provisioner.pool.PoolEntry.State;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code pool_entry} table: who owns which pool app. Every move is a conditional update on the state it leaves,
 * so a claim, a recycle and a crash repair racing for one entry never both win.
 */
@Repository
class PoolEntries {

    private static final String COLUMNS = "id, app_name, region, image, state, machine_id, team_id, updated_at";

    private final JdbcClient jdbc;

    PoolEntries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Written before anything exists on Fly for the entry: nothing there is unknown here. */
    void insertCreating(String id, String app, String region, String image) {
        jdbc.sql("insert into pool_entry (id, app_name, region, image, state) values (?, ?, ?, ?, 'creating')")
                .params(id, app, region, image)
                .update();
    }

    /** Also the entry's sign of life: a build that keeps moving is not taken for one left by a crash. */
    void machineCreated(String id, String machineId, String region) {
        jdbc.sql("""
                update pool_entry set machine_id = ?, region = ?, updated_at = now()
                where id = ? and state = 'creating'""").params(machineId, region, id).update();
    }

    /** @return false when the entry is no longer being created (discarded meanwhile) */
    boolean ready(String id) {
        return jdbc.sql("""
                update pool_entry set state = 'ready', ready_at = now(), updated_at = now()
                where id = ? and state = 'creating'""").param(id).update() > 0;
    }

    /** Takes an unclaimed entry out of service for good; a claimed one is its team's and is never discarded. */
    boolean discard(String id, String reason) {
        return jdbc.sql("""
                update pool_entry set state = 'discarding', reason = ?, updated_at = now()
                where id = ? and state in ('creating', 'ready')""").params(reason, id).update() > 0;
    }

    /** Once its app is gone. */
    void forget(String id) {
        jdbc.sql("delete from pool_entry where id = ? and state = 'discarding'")
                .param(id)
                .update();
    }

    /**
     * Binds the oldest ready entry of the first region (in the given order) that has one to the team, skipping rows
     * another claim holds: concurrent claims never wait on each other and never get the same entry.
     */
    Optional<String> claim(String teamId, List<String> regions, String image) {
        if (regions.isEmpty()) {
            return Optional.empty();
        }
        String in = String.join(", ", Collections.nCopies(regions.size(), "?"));
        StringBuilder order = new StringBuilder("case region");
        for (int i = 0; i < regions.size(); i++) {
            order.append(" when ? then ").append(i);
        }
        order.append(" end");
        var params = new ArrayList<Object>();
        params.add(teamId);
        params.add(image);
        params.addAll(regions);
        params.addAll(regions);
        return jdbc.sql("update pool_entry set state = 'claimed', team_id = ?, claimed_at = now(), updated_at = now()"
                        + " where id = (select id from pool_entry where state = 'ready' and image = ? and region in ("
                        + in + ") order by " + order + ", ready_at limit 1 for update skip locked)"
                        + " returning app_name")
                .params(params)
                .query(String.class)
                .optional();
    }

    boolean claimedBy(String teamId, String app) {
        return jdbc.sql("select count(*) from pool_entry where app_name = ? and team_id = ? and state = 'claimed'")
                        .params(app, teamId)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    void release(String teamId, String app) {
        jdbc.sql("delete from pool_entry where app_name = ? and team_id = ? and state = 'claimed'")
                .params(app, teamId)
                .update();
    }

    /** Ready and creating entries of the image per region: what counts against a region's target. */
    Map<String, Integer> available(String image) {
        return jdbc
                .sql("""
                select region, count(*) as n from pool_entry
                where state in ('ready', 'creating') and image = ? group by region""")
                .param(image)
                .query((rs, row) -> Map.entry(rs.getString("region"), rs.getInt("n")))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    List<PoolEntry> inState(State state) {
        return jdbc.sql("select " + COLUMNS + " from pool_entry where state = ? order by created_at")
                .param(state.wire())
                .query(PoolEntries::entry)
                .list();
    }

    Optional<PoolEntry> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from pool_entry where id = ?")
                .param(id)
                .query(PoolEntries::entry)
                .optional();
    }

    /** Whether any entry, in any state, or any team row names the app. */
    boolean known(String app) {
        return jdbc.sql("""
                        select (select count(*) from pool_entry where app_name = ?)
                             + (select count(*) from team where app_name = ?)""").params(app, app).query(Integer.class).single() > 0;
    }

    /** Every entry, claimed ones included: the sweep's yardstick for a plausible database. */
    int count() {
        return jdbc.sql("select count(*) from pool_entry").query(Integer.class).single();
    }

    /** Takes a transaction-scoped lock: one refill decision at a time across provisioner instances. */
    void lockRefill() {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('flotilla.provisioner.pool.refill'))")
                .query(Object.class)
                .single();
    }

    private static PoolEntry entry(ResultSet rs, int row) throws SQLException {
        Timestamp updated = rs.getTimestamp("updated_at");
        return new PoolEntry(
                rs.getString("id"),
                rs.getString("app_name"),
                rs.getString("region"),
                rs.getString("image"),
                State.of(rs.getString("state")),
                rs.getString("machine_id"),
                rs.getString("team_id"),
                updated == null ? Instant.EPOCH : updated.toInstant());
    }
}
