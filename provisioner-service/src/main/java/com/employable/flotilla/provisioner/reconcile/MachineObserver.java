package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.Guest;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.outbox.Outbox;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Publishes every machine state the provisioner causes or observes, once: it remembers the last state seen per
 * machine and emits {@code machine.state-changed} (with Fly's own timestamp of the change) whenever a listing differs.
 * Billing meters from these, so a machine that vanished is reported destroyed.
 */
@Component
public class MachineObserver {

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final Clock clock;
    private final int rootfsGb;

    MachineObserver(JdbcClient jdbc, Outbox outbox, Clock clock, ProvisionerProperties properties) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.clock = clock;
        this.rootfsGb = properties.rootfsGb();
    }

    private record Observed(String machineId, String appName, String region, String state, Guest guest) {}

    /** @param machines the team's complete, current machine list */
    @Transactional
    public void observe(String teamId, String appName, List<Machine> machines) {
        Map<String, Observed> known = known(teamId);
        Set<String> seen = new HashSet<>();
        Instant now = clock.instant();
        for (Machine machine : machines) {
            seen.add(machine.id());
            Observed previous = known.get(machine.id());
            if (previous != null && Objects.equals(previous.state(), machine.state())) {
                continue;
            }
            Guest guest = machine.config() != null && machine.config().guest() != null
                    ? new Guest(
                            machine.config().guest().cpuKind(),
                            machine.config().guest().cpus(),
                            machine.config().guest().memoryMb())
                    : previous != null ? previous.guest() : new Guest("shared", 1, 256);
            Instant at = machine.changedAt(now);
            outbox.publish(
                    Topics.SERVER_LIFECYCLE,
                    new MachineStateChanged(
                            teamId,
                            appName,
                            machine.id(),
                            machine.region(),
                            guest,
                            rootfsGb,
                            previous == null ? null : previous.state(),
                            machine.state(),
                            at));
            jdbc.sql("""
                    insert into machine_observed (machine_id, team_id, app_name, region, state, cpu_kind, cpus,
                                                  memory_mb, changed_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (machine_id) do update set state = excluded.state, region = excluded.region,
                        cpu_kind = excluded.cpu_kind, cpus = excluded.cpus, memory_mb = excluded.memory_mb,
                        changed_at = excluded.changed_at""")
                    .params(
                            machine.id(),
                            teamId,
                            appName,
                            machine.region(),
                            machine.state(),
                            guest.cpuKind(),
                            guest.cpus(),
                            guest.memoryMb(),
                            Timestamp.from(at))
                    .update();
        }
        for (Observed gone : known.values()) {
            if (!seen.contains(gone.machineId())) {
                destroyed(teamId, gone, now);
            }
        }
    }

    /** The app is gone (deprovisioned): every machine it had is destroyed. */
    @Transactional
    public void allDestroyed(String teamId) {
        Instant now = clock.instant();
        known(teamId).values().forEach(machine -> destroyed(teamId, machine, now));
    }

    private void destroyed(String teamId, Observed machine, Instant at) {
        if (!"destroyed".equals(machine.state())) {
            outbox.publish(
                    Topics.SERVER_LIFECYCLE,
                    new MachineStateChanged(
                            teamId,
                            machine.appName(),
                            machine.machineId(),
                            machine.region(),
                            machine.guest(),
                            rootfsGb,
                            machine.state(),
                            "destroyed",
                            at));
        }
        jdbc.sql("delete from machine_observed where machine_id = ?")
                .param(machine.machineId())
                .update();
    }

    private Map<String, Observed> known(String teamId) {
        return jdbc
                .sql("""
                select machine_id, app_name, region, state, cpu_kind, cpus, memory_mb
                from machine_observed where team_id = ? for update""")
                .param(teamId)
                .query((rs, row) -> new Observed(
                        rs.getString("machine_id"),
                        rs.getString("app_name"),
                        rs.getString("region"),
                        rs.getString("state"),
                        new Guest(rs.getString("cpu_kind"), rs.getInt("cpus"), rs.getInt("memory_mb"))))
                .list()
                .stream()
                .collect(Collectors.toMap(Observed::machineId, Function.identity()));
    }
}
