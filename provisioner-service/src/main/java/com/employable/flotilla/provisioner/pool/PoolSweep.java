package com.employable.flotilla.provisioner.pool;

import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.provisioner.fly.FlyModel.App;
import com.employable.flotilla.provisioner.fly.FlyModel.ListApp;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.reconcile.MachineSpec;
import com.employable.flotilla.provisioner.reconcile.TeamFly;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Destroys pool apps that no entry and no team knows (leaked: a database restored to before they were made, or an
 * entry forgotten by hand), with the team sweep's fences: it refuses while the pool table holds fewer entries than
 * {@code orphan-min-team-ratio} of the pool apps on Fly, waits {@code orphan-grace}, destroys only apps that prove to
 * be unclaimed pool apps (own network, every machine tagged with the app's own entry id and no team), at most
 * {@code orphan-max-deletions-per-sweep} per sweep. Live entries, in any state, and claimed apps are never touched
 * here; the maintainer and the team's reconcile own them.
 */
@Component
class PoolSweep {

    private static final Logger log = LoggerFactory.getLogger(PoolSweep.class);

    private final TeamFly fly;
    private final PoolEntries entries;
    private final JdbcClient jdbc;
    private final TeamAddresses addresses;
    private final ProvisionerProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;

    PoolSweep(
            TeamFly fly,
            PoolEntries entries,
            JdbcClient jdbc,
            TeamAddresses addresses,
            ProvisionerProperties properties,
            Clock clock,
            MeterRegistry meters) {
        this.fly = fly;
        this.entries = entries;
        this.jdbc = jdbc;
        this.addresses = addresses;
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
    }

    /** What one sweep did. */
    record Result(boolean refused, int poolApps, int deleted, int unproven) {}

    Result sweep() {
        if (!properties.orphanSweep()) {
            return new Result(true, 0, 0, 0);
        }
        List<ListApp> poolApps = fly.apps().stream()
                .filter(app -> addresses.isPoolApp(app.name()))
                .toList();
        Set<String> names = poolApps.stream().map(ListApp::name).collect(Collectors.toSet());
        jdbc.sql("select app_name from pool_orphan").query(String.class).list().stream()
                .filter(app -> !names.contains(app) || entries.known(app))
                .forEach(app -> jdbc.sql("delete from pool_orphan where app_name = ?")
                        .param(app)
                        .update());
        List<ListApp> unknown =
                poolApps.stream().filter(app -> !entries.known(app.name())).toList();
        if (unknown.isEmpty()) {
            return new Result(false, poolApps.size(), 0, 0);
        }
        int known = entries.count();
        if (known < properties.orphanMinTeamRatio() * poolApps.size()) {
            count("refused");
            log.warn(
                    "Pool sweep refused: {} pool entries in the database for {} pool apps on Fly (minimum ratio {})",
                    known,
                    poolApps.size(),
                    properties.orphanMinTeamRatio());
            return new Result(true, poolApps.size(), 0, 0);
        }
        Instant now = clock.instant();
        int deleted = 0;
        int unproven = 0;
        for (ListApp app : unknown) {
            if (!pastGrace(app.name(), now) || deleted >= properties.orphanMaxDeletionsPerSweep()) {
                continue;
            }
            Optional<String> doubt = doubt(app);
            if (doubt.isPresent()) {
                unproven++;
                count("unproven");
                log.warn(
                        "Pool app {} is known to nobody but not provably ours ({}): left alone",
                        app.name(),
                        doubt.get());
                continue;
            }
            log.warn("Destroying leaked pool app {} (no entry, no team)", app.name());
            fly.deleteApp(app.name());
            jdbc.sql("delete from pool_orphan where app_name = ?")
                    .param(app.name())
                    .update();
            deleted++;
            count("deleted");
        }
        return new Result(false, poolApps.size(), deleted, unproven);
    }

    private Optional<String> doubt(ListApp listed) {
        String name = listed.name();
        String network = listed.networkName()
                .orElseGet(() -> fly.app(name).map(App::network).orElse(null));
        if (!name.equals(network)) {
            return Optional.of("network '" + network + "' is not its own");
        }
        String entryId = name.substring(name.length() - idLength(name));
        for (Machine machine : fly.machines(name)) {
            if (machine.metadata().containsKey(MachineSpec.TEAM)
                    || !entryId.equals(machine.metadata().get(MachineSpec.POOL))) {
                return Optional.of("machine " + machine.id() + " is not its unclaimed pool machine");
            }
        }
        return Optional.empty();
    }

    /** The entry id is what follows the pool prefix (the name is already known to be a pool app's). */
    private static int idLength(String app) {
        return app.length() - app.lastIndexOf('-') - 1;
    }

    private boolean pastGrace(String app, Instant now) {
        jdbc.sql("insert into pool_orphan (app_name, first_seen) values (?, ?) on conflict do nothing")
                .params(app, Timestamp.from(now))
                .update();
        Instant firstSeen = jdbc.sql("select first_seen from pool_orphan where app_name = ?")
                .param(app)
                .query(Timestamp.class)
                .single()
                .toInstant();
        return !firstSeen.plus(properties.orphanGrace()).isAfter(now);
    }

    private void count(String outcome) {
        Counter.builder("flotilla.provisioner.pool.orphans")
                .tag("outcome", outcome)
                .description("pool apps known to nobody: deleted, unproven (left alone), refused (sweep fenced)")
                .register(meters)
                .increment();
    }
}
