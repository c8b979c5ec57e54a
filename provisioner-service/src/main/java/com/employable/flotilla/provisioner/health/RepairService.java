package com.employable.flotilla.provisioner.health;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthEvent;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.provisioner.fly.FlyApiException;
import com.employable.flotilla.provisioner.reconcile.ReconcileScheduler;
import com.employable.flotilla.provisioner.reconcile.Repairs;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.Team;
import com.employable.flotilla.provisioner.team.TeamRepository;

/**
 * Acts on health-service's verdicts: a machine unhealthy past a threshold is restarted; still unhealthy a while after
 * the restart, it is destroyed and the reconciler builds its replacement. Each machine gets a bounded number of repairs
 * per hour, so a server that is broken by its own code does not loop through replacements for ever.
 */
@Service
public class RepairService {

    private static final Logger log = LoggerFactory.getLogger(RepairService.class);

    private final JdbcClient jdbc;
    private final TeamRepository teams;
    private final Repairs repairs;
    private final ReconcileScheduler scheduler;
    private final ProvisionerProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;

    RepairService(JdbcClient jdbc, TeamRepository teams, Repairs repairs, ReconcileScheduler scheduler,
                  ProvisionerProperties properties, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.teams = teams;
        this.repairs = repairs;
        this.scheduler = scheduler;
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
    }

    /** Records the verdict; health events may repeat or arrive late, the latest checkedAt wins. */
    @Transactional
    public void record(EventEnvelope<HealthEvent> envelope) {
        if (!(envelope.data() instanceof HealthChanged changed)) {
            return;
        }
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
                .params(changed.machineId(), changed.teamId(), changed.status().name().toLowerCase(),
                        unhealthy ? checkedAt : null, checkedAt)
                .update();
    }

    private record Unhealthy(String machineId, String teamId, Instant since) {
    }

    @Scheduled(fixedDelayString = "${flotilla.provisioner.repair-tick:5s}")
    public void repairDue() {
        Instant now = clock.instant();
        List<Unhealthy> due = jdbc.sql("""
                select machine_id, team_id, unhealthy_since from machine_health
                where status = 'unhealthy' and unhealthy_since <= ?""")
                .param(Timestamp.from(now.minus(properties.unhealthyRestartAfter())))
                .query((rs, row) -> new Unhealthy(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
                .list();
        for (Unhealthy machine : due) {
            try {
                repair(machine, now);
            } catch (FlyApiException | IllegalStateException e) {
                log.warn("Repair of machine {} (team {}) failed: {}", machine.machineId(), machine.teamId(),
                        e.getMessage());
            }
        }
    }

    private void repair(Unhealthy machine, Instant now) {
        Optional<Team> team = teams.find(machine.teamId());
        if (team.isEmpty() || team.get().deleted() || team.get().suspended()) {
            return;
        }
        int lastHour = jdbc.sql("select count(*) from machine_repair where machine_id = ? and at > ?")
                .params(machine.machineId(), Timestamp.from(now.minusSeconds(3600))).query(Integer.class).single();
        if (lastHour >= properties.maxRepairsPerHour()) {
            return;
        }
        Optional<Instant> restartedAt = jdbc.sql("""
                select max(at) from machine_repair where machine_id = ? and action = 'restart' and at >= ?""")
                .params(machine.machineId(), Timestamp.from(machine.since()))
                .query(Timestamp.class).optional().map(Timestamp::toInstant);
        String app = team.get().appName();
        if (restartedAt.isEmpty()) {
            repairs.restart(app, machine.machineId());
            recordRepair(machine, "restart", "unhealthy since " + machine.since());
        } else if (!restartedAt.get().plus(properties.unhealthyReplaceAfter()).isAfter(now)) {
            repairs.destroy(app, machine.machineId());
            recordRepair(machine, "replace", "still unhealthy after a restart at " + restartedAt.get());
            jdbc.sql("delete from machine_health where machine_id = ?").param(machine.machineId()).update();
            teams.markReplacement(machine.teamId());
            scheduler.trigger(machine.teamId());
        }
    }

    private void recordRepair(Unhealthy machine, String action, String reason) {
        jdbc.sql("insert into machine_repair (team_id, machine_id, action, reason) values (?, ?, ?, ?)")
                .params(machine.teamId(), machine.machineId(), action, reason).update();
        Counter.builder("flotilla.provisioner.repairs").tag("action", action).register(meters).increment();
        log.warn("Repair {} of machine {} (team {}): {}", action, machine.machineId(), machine.teamId(), reason);
    }
}
