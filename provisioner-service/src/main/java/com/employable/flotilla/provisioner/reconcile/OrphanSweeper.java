package com.employable.flotilla.provisioner.reconcile;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.employable.flotilla.provisioner.fly.FlyApps;
import com.employable.flotilla.provisioner.fly.FlyModel.App;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.TeamRepository;

/**
 * Destroys apps that carry our prefix but belong to no live team (a crash between app create and the team's
 * deletion, or a team row lost with a database restore) once they have been orphaned for the grace period: a leaked
 * app is a bill nobody pays attention to.
 */
@Component
public class OrphanSweeper {

    private static final Logger log = LoggerFactory.getLogger(OrphanSweeper.class);

    private final FlyApps apps;
    private final TeamRepository teams;
    private final JdbcClient jdbc;
    private final ProvisionerProperties properties;
    private final Clock clock;
    private final Counter destroyed;

    OrphanSweeper(FlyApps apps, TeamRepository teams, JdbcClient jdbc, ProvisionerProperties properties, Clock clock,
                  MeterRegistry meters) {
        this.apps = apps;
        this.teams = teams;
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        this.destroyed = Counter.builder("flotilla.provisioner.orphans.destroyed").register(meters);
    }

    public void sweep() {
        Set<String> ours = apps.list().apps().stream().map(App::name)
                .filter(name -> name != null && name.startsWith(properties.appPrefix()))
                .collect(Collectors.toSet());
        Instant now = clock.instant();
        for (String app : ours) {
            if (teams.ownsApp(app)) {
                jdbc.sql("delete from orphan_app where app_name = ?").param(app).update();
                continue;
            }
            jdbc.sql("insert into orphan_app (app_name, first_seen) values (?, ?) on conflict do nothing")
                    .params(app, Timestamp.from(now)).update();
            Instant firstSeen = jdbc.sql("select first_seen from orphan_app where app_name = ?").param(app)
                    .query(Timestamp.class).single().toInstant();
            if (!firstSeen.plus(properties.orphanGrace()).isAfter(now)) {
                log.warn("Destroying orphan app {} (no live team since {})", app, firstSeen);
                apps.delete(app);
                jdbc.sql("delete from orphan_app where app_name = ?").param(app).update();
                destroyed.increment();
            }
        }
        // forget orphans that disappeared by other means
        jdbc.sql("select app_name from orphan_app").query(String.class).list().stream()
                .filter(app -> !ours.contains(app))
                .forEach(app -> jdbc.sql("delete from orphan_app where app_name = ?").param(app).update());
    }
}
