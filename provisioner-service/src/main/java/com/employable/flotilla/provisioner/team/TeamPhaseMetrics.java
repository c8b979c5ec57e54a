package com.employable.flotilla.provisioner.team;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Where teams stand, for alerting on a team stuck in provisioning: {@value #TEAMS} (teams per phase; a team
 * {@code failed} waits for an operator) and {@value #ATTEMPTS} (the most consecutive failed reconcile attempts of any
 * team, reset by a convergence or a new event). Read from the shared team table, at most every {@link #FRESH}, so
 * every instance reports the same values: alert on {@code max()}. Deleted teams are not counted.
 */
@Component
class TeamPhaseMetrics {

    static final String TEAMS = "flotilla.provisioner.teams";
    static final String ATTEMPTS = "flotilla.provisioner.teams.attempts.max";
    static final Duration FRESH = Duration.ofSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(TeamPhaseMetrics.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private volatile Snapshot snapshot;

    private record Snapshot(Instant at, Map<String, Long> teams, long maxAttempts) {}

    TeamPhaseMetrics(JdbcClient jdbc, MeterRegistry meters, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        for (Phase phase : Phase.values()) {
            if (phase != Phase.DELETED) {
                Gauge.builder(TEAMS, this, metrics -> metrics.teams(phase))
                        .description("Teams per reconcile phase (the shared table: the same on every instance)")
                        .tag("phase", phase.wire())
                        .register(meters);
            }
        }
        Gauge.builder(ATTEMPTS, this, TeamPhaseMetrics::maxAttempts)
                .description("The most consecutive failed reconcile attempts of any team not deleted")
                .register(meters);
    }

    double teams(Phase phase) {
        Snapshot current = current();
        return current == null ? Double.NaN : current.teams().getOrDefault(phase.wire(), 0L);
    }

    double maxAttempts() {
        Snapshot current = current();
        return current == null ? Double.NaN : current.maxAttempts();
    }

    /** The last reading if fresh, else a new one; null (NaN on the gauges) while the database cannot answer. */
    private Snapshot current() {
        Snapshot last = snapshot;
        Instant now = clock.instant();
        if (last != null && last.at().plus(FRESH).isAfter(now)) {
            return last;
        }
        try {
            Map<String, Long> teams = new HashMap<>();
            long[] maxAttempts = {0};
            jdbc.sql("""
                    select status, count(*) as teams, max(attempts) as attempts from team
                    where not (deleted and status = 'deleted') group by status""").query(rs -> {
                teams.put(rs.getString("status"), rs.getLong("teams"));
                maxAttempts[0] = Math.max(maxAttempts[0], rs.getLong("attempts"));
            });
            snapshot = new Snapshot(now, Map.copyOf(teams), maxAttempts[0]);
            return snapshot;
        } catch (DataAccessException e) {
            log.debug(
                    "Team phase metrics unavailable: {}",
                    e.getMostSpecificCause().getMessage());
            return null;
        }
    }
}
