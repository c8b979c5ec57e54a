package com.employable.flotilla.provisioner.health;

import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.provisioner.team.TeamRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The {@code machine_health} and {@code machine_repair} tables. */
@Repository
public class HealthVerdicts implements HealthLedger {

    private static final Logger log = LoggerFactory.getLogger(HealthVerdicts.class);

    private final JdbcClient jdbc;
    private final TeamRepository teams;
    private final MeterRegistry meters;

    HealthVerdicts(JdbcClient jdbc, TeamRepository teams, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.teams = teams;
        this.meters = meters;
    }

    /** Health events may repeat or arrive late: the latest checkedAt wins. */
    @Transactional
    public void record(HealthChanged changed) {
        Timestamp checkedAt = Timestamp.from(changed.checkedAt());
        boolean unhealthy = changed.status() == HealthStatus.UNHEALTHY;
        jdbc.sql("""
                insert into machine_health (machine_id, team_id, status, unhealthy_since, checked_at)
                values (?, ?, ?, ?, ?)
                on conflict (machine_id) do update set
                    status = excluded.status,
                    unhealthy_since = case when excluded.status = 'unhealthy'
                        then coalesce(machine_health.unhealthy_since, excluded.unhealthy_since) else null end,
                    checked_at = excluded.checked_at
                where machine_health.checked_at <= excluded.checked_at""")
                .params(
                        changed.machineId(),
                        changed.teamId(),
                        changed.status().name().toLowerCase(Locale.ROOT),
                        unhealthy ? checkedAt : null,
                        checkedAt)
                .update();
    }

    @Override
    public Map<String, MachineHealth> unhealthy(String teamId, Instant now) {
        return jdbc
                .sql("""
                select h.machine_id, h.unhealthy_since,
                       (select max(r.at) from machine_repair r where r.machine_id = h.machine_id
                            and r.action = 'restart' and r.at >= h.unhealthy_since) as restarted_at,
                       (select count(*) from machine_repair r where r.machine_id = h.machine_id and r.at > ?) as recent
                from machine_health h where h.team_id = ? and h.status = 'unhealthy'""")
                .params(Timestamp.from(now.minusSeconds(3600)), teamId)
                .query((rs, row) -> new MachineHealth(
                        rs.getString("machine_id"),
                        rs.getTimestamp("unhealthy_since").toInstant(),
                        Optional.ofNullable(rs.getTimestamp("restarted_at"))
                                .map(Timestamp::toInstant)
                                .orElse(null),
                        rs.getInt("recent")))
                .list()
                .stream()
                .collect(Collectors.toMap(MachineHealth::machineId, Function.identity()));
    }

    @Override
    public void restarted(String teamId, String machineId, String reason) {
        repaired(teamId, machineId, "restart", reason);
    }

    @Override
    @Transactional
    public void replaced(String teamId, String machineId, String reason) {
        repaired(teamId, machineId, "replace", reason);
        jdbc.sql("delete from machine_health where machine_id = ?")
                .param(machineId)
                .update();
        teams.markReplacement(teamId);
    }

    private void repaired(String teamId, String machineId, String action, String reason) {
        jdbc.sql("insert into machine_repair (team_id, machine_id, action, reason) values (?, ?, ?, ?)")
                .params(teamId, machineId, action, reason)
                .update();
        Counter.builder("flotilla.provisioner.repairs")
                .tag("action", action)
                .register(meters)
                .increment();
        log.warn("Repair {} of machine {} (team {}): {}", action, machineId, teamId, reason);
    }
}
