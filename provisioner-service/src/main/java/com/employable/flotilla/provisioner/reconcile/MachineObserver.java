package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.Guest;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.outbox.Outbox;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.reconcile.MachineTransitions.Known;
import com.employable.flotilla.provisioner.reconcile.MachineTransitions.Transition;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Publishes every machine state change, once, with Fly's own time of it: from each listing of a team's machines (a
 * reconcile's, or the periodic observation's) the transitions since the last one published are read from the
 * machines' events ({@link MachineTransitions}), so changes between two listings are not lost, and the high-water
 * mark is kept with the state. Billing meters from these, so a machine that vanished is reported destroyed.
 * Observations of one team are serialized (a transaction-scoped advisory lock), so two listings racing each other,
 * on one instance or during a handover, publish each transition once.
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

    private record Observed(String machineId, String appName, String region, Guest guest, Known known) {
        String state() {
            return known.state();
        }
    }

    /** @param machines the team's complete, current machine list */
    @Transactional
    public void observe(String teamId, String appName, List<Machine> machines) {
        Map<String, Observed> known = known(teamId);
        Set<String> seen = new HashSet<>();
        Instant now = clock.instant();
        for (Machine machine : machines) {
            seen.add(machine.id());
            Observed previous = known.get(machine.id());
            Known before = previous == null ? Known.NEW : previous.known();
            MachineTransitions.Result result = MachineTransitions.of(before, machine, now);
            if (result.known().equals(before)) {
                continue;
            }
            Guest guest = machine.config() != null && machine.config().guest() != null
                    ? new Guest(
                            machine.config().guest().cpuKind(),
                            machine.config().guest().cpus(),
                            machine.config().guest().memoryMb())
                    : previous != null ? previous.guest() : new Guest("shared", 1, 256);
            for (Transition transition : result.transitions()) {
                outbox.publish(
                        Topics.SERVER_LIFECYCLE,
                        new MachineStateChanged(
                                teamId,
                                appName,
                                machine.id(),
                                machine.region(),
                                guest,
                                rootfsGb,
                                transition.from(),
                                transition.to(),
                                transition.at()));
            }
            Known after = result.known();
            if (after.state() == null) {
                continue; // a new machine whose listing told no state: nothing to remember yet
            }
            jdbc.sql("""
                    insert into machine_observed (machine_id, team_id, app_name, region, state, cpu_kind, cpus,
                                                  memory_mb, changed_at, events_until_ms, events_until_id)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (machine_id) do update set state = excluded.state, region = excluded.region,
                        cpu_kind = excluded.cpu_kind, cpus = excluded.cpus, memory_mb = excluded.memory_mb,
                        changed_at = excluded.changed_at, events_until_ms = excluded.events_until_ms,
                        events_until_id = excluded.events_until_id""")
                    .params(
                            machine.id(),
                            teamId,
                            appName,
                            machine.region(),
                            after.state(),
                            guest.cpuKind(),
                            guest.cpus(),
                            guest.memoryMb(),
                            Timestamp.from(after.changedAt()),
                            after.eventsUntilMs() == Long.MIN_VALUE ? null : after.eventsUntilMs(),
                            after.eventsUntilId())
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
                            machine.known().changedAt().isAfter(at)
                                    ? machine.known().changedAt()
                                    : at));
        }
        jdbc.sql("delete from machine_observed where machine_id = ?")
                .param(machine.machineId())
                .update();
    }

    /** What was published for the team's machines, read under the team's observation lock (until commit). */
    private Map<String, Observed> known(String teamId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('machine_observed'), hashtext(?))")
                .param(teamId)
                .query()
                .singleRow();
        return jdbc
                .sql("""
                select machine_id, app_name, region, state, cpu_kind, cpus, memory_mb, changed_at, events_until_ms,
                       events_until_id
                from machine_observed where team_id = ?""")
                .param(teamId)
                .query((rs, row) -> new Observed(
                        rs.getString("machine_id"),
                        rs.getString("app_name"),
                        rs.getString("region"),
                        new Guest(rs.getString("cpu_kind"), rs.getInt("cpus"), rs.getInt("memory_mb")),
                        new Known(
                                rs.getString("state"),
                                rs.getTimestamp("changed_at").toInstant(),
                                rs.getObject("events_until_ms", Long.class),
                                rs.getString("events_until_id"))))
                .list()
                .stream()
                .collect(Collectors.toMap(Observed::machineId, Function.identity()));
    }
}
