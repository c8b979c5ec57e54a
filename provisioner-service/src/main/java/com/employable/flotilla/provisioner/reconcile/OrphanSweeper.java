package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.provisioner.fly.FlyApps;
import com.employable.flotilla.provisioner.fly.FlyMachines;
import com.employable.flotilla.provisioner.fly.FlyModel.App;
import com.employable.flotilla.provisioner.fly.FlyModel.ListApp;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.TeamRepository;
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
 * Destroys team apps that belong to no live team (a crash between app create and the team's deletion) once they
 * have been orphaned for the grace period: a leaked app is a bill nobody pays attention to.
 *
 * <p>Deleting is the one irreversible thing the provisioner does on its own, so the sweep is fenced:
 * <ul>
 * <li>it refuses to run while the team table is empty or far smaller than the number of team apps (a fresh or
 * restored database, a wrong datasource), counted and logged as a warning;</li>
 * <li>an app is destroyed only when it proves to be a team app: its name is exactly a team app's name (prefix, valid
 * team id, not a reserved platform name), its network is its own name, and every machine's team metadata names that
 * same team; anything else is left alone and counted;</li>
 * <li>at most a configured number of apps per sweep.</li>
 * </ul>
 */
@Component
public class OrphanSweeper {

    private static final Logger log = LoggerFactory.getLogger(OrphanSweeper.class);

    private final FlyApps apps;
    private final FlyMachines machines;
    private final TeamRepository teams;
    private final JdbcClient jdbc;
    private final ProvisionerProperties properties;
    private final TeamAddresses addresses;
    private final Clock clock;
    private final Counter deleted;
    private final Counter unproven;
    private final Counter capped;
    private final Counter refused;

    OrphanSweeper(
            FlyApps apps,
            FlyMachines machines,
            TeamRepository teams,
            JdbcClient jdbc,
            ProvisionerProperties properties,
            TeamAddresses addresses,
            Clock clock,
            MeterRegistry meters) {
        this.apps = apps;
        this.machines = machines;
        this.teams = teams;
        this.jdbc = jdbc;
        this.properties = properties;
        this.addresses = addresses;
        this.clock = clock;
        this.deleted = orphans(meters, "deleted", "orphaned team apps destroyed");
        this.unproven = orphans(meters, "unproven", "apps with no live team left alone: not provably a team app");
        this.capped = orphans(meters, "capped", "orphans left for a later sweep by the per-sweep deletion cap");
        this.refused = Counter.builder("flotilla.provisioner.orphan.sweeps.refused")
                .description("sweeps refused: the team table is empty or far smaller than the team apps on Fly")
                .register(meters);
    }

    private static Counter orphans(MeterRegistry meters, String outcome, String description) {
        return Counter.builder("flotilla.provisioner.orphans")
                .tag("outcome", outcome)
                .description(description)
                .register(meters);
    }

    /** What one sweep did, for logs and tests. */
    public record SweepResult(boolean refused, int teamApps, int deleted, int unproven, int capped) {}

    public SweepResult sweep() {
        if (!properties.orphanSweep()) {
            return new SweepResult(true, 0, 0, 0, 0);
        }
        List<ListApp> teamApps = apps.list().apps().stream()
                .filter(app -> addresses.teamIdOfApp(app.name()).isPresent())
                .toList();
        Set<String> names = teamApps.stream().map(ListApp::name).collect(Collectors.toSet());
        forgetVanished(names);
        if (teamApps.isEmpty()) {
            return new SweepResult(false, 0, 0, 0, 0);
        }
        int liveTeams = teams.liveTeamCount();
        if (liveTeams == 0 || liveTeams < properties.orphanMinTeamRatio() * teamApps.size()) {
            refused.increment();
            log.warn(
                    "Orphan sweep refused: {} live teams in the database for {} team apps on Fly (minimum ratio {});"
                            + " is this the right, complete database?",
                    liveTeams,
                    teamApps.size(),
                    properties.orphanMinTeamRatio());
            return new SweepResult(true, teamApps.size(), 0, 0, 0);
        }
        Instant now = clock.instant();
        int deletedNow = 0;
        int unprovenNow = 0;
        int cappedNow = 0;
        for (ListApp app : teamApps) {
            String name = app.name();
            if (teams.ownsApp(name)) {
                jdbc.sql("delete from orphan_app where app_name = ?")
                        .param(name)
                        .update();
                continue;
            }
            if (!pastGrace(name, now)) {
                continue;
            }
            if (deletedNow >= properties.orphanMaxDeletionsPerSweep()) {
                cappedNow++;
                continue;
            }
            String teamId = addresses.teamIdOfApp(name).orElseThrow();
            Optional<String> doubt = doubt(app, teamId);
            if (doubt.isPresent()) {
                unprovenNow++;
                log.warn("App {} has no live team but is not provably a team app ({}): left alone", name, doubt.get());
                continue;
            }
            log.warn("Destroying orphaned team app {} (no live team {})", name, teamId);
            apps.delete(name);
            jdbc.sql("delete from orphan_app where app_name = ?").param(name).update();
            deletedNow++;
        }
        deleted.increment(deletedNow);
        unproven.increment(unprovenNow);
        capped.increment(cappedNow);
        if (cappedNow > 0) {
            log.warn("Orphan sweep stopped at {} deletions; {} orphans wait for the next sweep", deletedNow, cappedNow);
        }
        return new SweepResult(false, teamApps.size(), deletedNow, unprovenNow, cappedNow);
    }

    private boolean pastGrace(String app, Instant now) {
        jdbc.sql("insert into orphan_app (app_name, first_seen) values (?, ?) on conflict do nothing")
                .params(app, Timestamp.from(now))
                .update();
        Instant firstSeen = jdbc.sql("select first_seen from orphan_app where app_name = ?")
                .param(app)
                .query(Timestamp.class)
                .single()
                .toInstant();
        return !firstSeen.plus(properties.orphanGrace()).isAfter(now);
    }

    /** Why the app is not provably the team's, if it is not: its network, then each machine's team metadata. */
    private Optional<String> doubt(ListApp listed, String teamId) {
        String name = listed.name();
        // the list carries the network on Fly's docs but is typed as an object in its spec: read the app if unclear
        String network = listed.networkName()
                .orElseGet(() -> apps.get(name).map(App::network).orElse(null));
        if (!name.equals(network)) {
            return Optional.of("network '" + network + "' is not its own");
        }
        for (Machine machine : machines.list(name)) {
            String owner = machine.metadata().get(MachineSpec.TEAM);
            if (!teamId.equals(owner)) {
                return Optional.of("machine " + machine.id() + " belongs to team '" + owner + "'");
            }
        }
        return Optional.empty();
    }

    private void forgetVanished(Set<String> present) {
        jdbc.sql("select app_name from orphan_app").query(String.class).list().stream()
                .filter(app -> !present.contains(app))
                .forEach(app -> jdbc.sql("delete from orphan_app where app_name = ?")
                        .param(app)
                        .update());
    }
}
