package com.employable.flotilla.provisioner.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.testsupport.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit writer against PostgreSQL: rows offered from many threads are all written, in batches, and visible after
 * a flush; a full queue drops and counts rather than blocking the caller; a database that refuses the rows costs the
 * caller nothing.
 */
class AuditWriterIT {

    @Test
    void rowsFromManyThreadsAreAllWrittenAndVisibleAfterAFlush() throws Exception {
        JdbcTemplate jdbc = database();
        try (var writer = new AuditWriter(jdbc, transactions(jdbc), 10_000)) {
            var done = new CountDownLatch(8);
            for (int t = 0; t < 8; t++) {
                int thread = t;
                Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 500; i++) {
                        writer.offer(row("team-" + thread, i));
                    }
                    done.countDown();
                });
            }
            done.await();

            assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(jdbc.queryForObject("select count(*) from fly_call", Integer.class))
                    .isEqualTo(4_000);
            assertThat(writer.dropped()).isZero();
        }
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlockingTheCaller() {
        JdbcTemplate jdbc = database();
        // another connection holds the table until released: the writer's insert waits behind it
        JdbcTemplate holder = database(jdbc);
        var locked = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        Thread.ofPlatform()
                .start(() -> transactions(holder).executeWithoutResult(status -> {
                    holder.execute("lock table fly_call in access exclusive mode");
                    locked.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
        try (var writer = new AuditWriter(jdbc, transactions(jdbc), 10)) {
            await(locked);
            long start = System.nanoTime();
            int accepted = 0;
            for (int i = 0; i < 100; i++) {
                accepted += writer.offer(row("team", i)) ? 1 : 0;
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(accepted).isLessThan(100);
            assertThat(writer.dropped()).isEqualTo(100 - accepted);
            release.countDown();
            assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(jdbc.queryForObject("select count(*) from fly_call", Integer.class))
                    .isEqualTo(accepted);
        }
    }

    private static AuditWriter.Row row(String team, int i) {
        return new AuditWriter.Row(
                Instant.now(), "test", team, "machines.get", "GET", "/v1/apps/a/machines/" + i, 200, 3, null);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static TransactionTemplate transactions(JdbcTemplate jdbc) {
        return new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
    }

    private static JdbcTemplate database(JdbcTemplate other) {
        return new JdbcTemplate(other.getDataSource());
    }

    private static JdbcTemplate database() {
        var database = TestPostgres.newDatabase("audit_writer");
        var jdbc =
                new JdbcTemplate(new DriverManagerDataSource(database.jdbcUrl(), database.user(), database.password()));
        jdbc.execute("""
                create table fly_call (
                    id bigserial primary key, at timestamptz not null default now(), actor text not null,
                    team_id text, endpoint text not null, method text not null, path text not null,
                    status int not null, duration_ms int not null, error text)""");
        return jdbc;
    }
}
