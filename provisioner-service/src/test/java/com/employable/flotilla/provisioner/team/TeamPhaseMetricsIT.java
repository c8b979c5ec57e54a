package com.employable.flotilla.provisioner.team;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.testsupport.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The gauges a stuck-provisioning alert reads, from the real team table on a real PostgreSQL. */
class TeamPhaseMetricsIT {

    private final MutableClock clock = new MutableClock();
    private JdbcClient jdbc;

    @BeforeEach
    void schema() {
        var database = TestPostgres.newDatabase("team_phase_metrics");
        var dataSource = new DriverManagerDataSource(
                database.jdbcUrl() + "?currentSchema=provisioner", database.user(), database.password());
        Flyway.configure()
                .dataSource(dataSource)
                .schemas("provisioner")
                .defaultSchema("provisioner")
                .locations("classpath:db/migration")
                .load()
                .migrate();
        jdbc = JdbcClient.create(dataSource);
    }

    @Test
    void countsTeamsPerPhaseAndTheMostFailedAttemptsLeavingDeletedTeamsOut() {
        team("up", "ready", false, 0);
        team("stuck", "pending", false, 4);
        team("broken", "failed", false, 2);
        team("gone", "deleted", true, 9);
        var meters = new SimpleMeterRegistry();
        new TeamPhaseMetrics(jdbc, meters, clock);

        assertThat(gauge(meters, "ready")).isEqualTo(1);
        assertThat(gauge(meters, "pending")).isEqualTo(1);
        assertThat(gauge(meters, "failed")).isEqualTo(1);
        assertThat(gauge(meters, "deleting")).isZero();
        assertThat(meters.find(TeamPhaseMetrics.TEAMS).tag("phase", "deleted").gauge())
                .isNull();
        assertThat(meters.get(TeamPhaseMetrics.ATTEMPTS).gauge().value()).isEqualTo(4);
    }

    @Test
    void readsTheTableAtMostEveryFifteenSeconds() {
        team("stuck", "pending", false, 4);
        var meters = new SimpleMeterRegistry();
        new TeamPhaseMetrics(jdbc, meters, clock);
        assertThat(meters.get(TeamPhaseMetrics.ATTEMPTS).gauge().value()).isEqualTo(4);

        jdbc.sql("update team set attempts = 7 where team_id = 'stuck'").update();
        assertThat(meters.get(TeamPhaseMetrics.ATTEMPTS).gauge().value()).isEqualTo(4);

        clock.advanceSeconds(16);
        assertThat(meters.get(TeamPhaseMetrics.ATTEMPTS).gauge().value()).isEqualTo(7);
    }

    @Test
    void anUnreachableDatabaseReadsAsNotANumberRatherThanZero() {
        var meters = new SimpleMeterRegistry();
        var nowhere = JdbcClient.create(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none", "x", "y"));
        new TeamPhaseMetrics(nowhere, meters, clock);

        assertThat(meters.get(TeamPhaseMetrics.ATTEMPTS).gauge().value()).isNaN();
        assertThat(gauge(meters, "failed")).isNaN();
    }

    private static double gauge(SimpleMeterRegistry meters, String phase) {
        return meters.get(TeamPhaseMetrics.TEAMS).tag("phase", phase).gauge().value();
    }

    private void team(String id, String status, boolean deleted, int attempts) {
        jdbc.sql("""
                insert into team (team_id, revision, plan, region, app_name, create_key, status, deleted, attempts)
                values (?, 1, 'starter', 'fra', ?, ?, ?, ?, ?)""")
                .params(id, "flotilla-team-" + id, "key-" + id, status, deleted, attempts)
                .update();
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-30T10:00:00Z");

        void advanceSeconds(long seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
