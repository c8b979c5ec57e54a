package com.employable.flotilla.provisioner.pool;

import static com.employable.flotilla.provisioner.team.ProvisionerPropertiesTest.GATEWAY;
import static com.employable.flotilla.provisioner.team.ProvisionerPropertiesTest.PROBE;
import static com.employable.flotilla.provisioner.team.ProvisionerPropertiesTest.TEAM_DB;

import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.common.testsupport.TestPostgres;
import com.employable.flotilla.provisioner.reconcile.FakeFly;
import com.employable.flotilla.provisioner.reconcile.McpCheckProperties;
import com.employable.flotilla.provisioner.reconcile.WarmClaimProperties;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The pool wired as in the service against a real PostgreSQL (its own database, the service's migrations) and the
 * in-memory Fly. {@link #restart} builds every component anew on the same database and Fly, as a provisioner killed
 * and started again would find them.
 */
final class PoolFixture {

    static final Executor INLINE = Runnable::run;

    final FakeFly fly = new FakeFly();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final JdbcClient jdbc;
    final TransactionTemplate transactions;
    final TeamAddresses addresses = TeamAddresses.defaults();
    PoolProperties pool;
    ProvisionerProperties provisioner;
    PoolEntries entries;
    WarmPool warm;
    PoolMaintainer maintainer;

    PoolFixture(Map<String, Integer> targets) {
        TestPostgres.TestDatabase database = TestPostgres.newDatabase("pool");
        var dataSource = new DriverManagerDataSource(database.jdbcUrl(), database.user(), database.password());
        Flyway.configure()
                .dataSource(dataSource)
                .schemas("provisioner")
                .defaultSchema("provisioner")
                .locations("classpath:db/flotilla-common", "classpath:db/migration")
                .load()
                .migrate();
        DataSource scoped = new DriverManagerDataSource(
                database.jdbcUrl() + (database.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=provisioner",
                database.user(),
                database.password());
        jdbc = JdbcClient.create(scoped);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(scoped));
        pool = new PoolProperties(true, targets, 60, 1, Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(5));
        provisioner = provisioner("image-a");
        restart();
    }

    /** Every component anew, as after a kill -9 and a start: nothing of the old instance survives but the data. */
    PoolFixture restart() {
        fly.restarted();
        var metrics = new PoolMetrics(meters);
        entries = new PoolEntries(jdbc);
        var machine = new PoolMachine(
                provisioner, addresses, WarmClaimProperties.defaults(), pool, McpCheckProperties.defaults());
        var builder = new PoolBuilder(fly, entries, machine, metrics, pool);
        var sweep = new PoolSweep(fly, entries, jdbc, addresses, provisioner, Clock.systemUTC(), meters);
        warm = new WarmPool(entries, pool, provisioner, metrics);
        maintainer = new PoolMaintainer(
                entries, builder, sweep, fly, addresses, pool, provisioner, metrics, transactions, Clock.systemUTC());
        return this;
    }

    PoolFixture withImage(String image) {
        provisioner = provisioner(image);
        return restart();
    }

    void maintain() {
        maintainer.maintain(INLINE);
    }

    List<PoolEntry> entries(PoolEntry.State state) {
        return entries.inState(state);
    }

    double claims(String outcome) {
        var counter = meters.find("flotilla.provisioner.pool.claims")
                .tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    static ProvisionerProperties provisioner(String image) {
        return new ProvisionerProperties(
                image,
                null,
                null,
                true,
                GATEWAY,
                "",
                PROBE,
                "",
                TEAM_DB,
                null,
                4,
                Duration.ofSeconds(60),
                true,
                Duration.ZERO,
                5,
                0.5,
                Duration.ofMinutes(3),
                Duration.ofSeconds(2),
                Duration.ofMinutes(5),
                Duration.ofSeconds(30),
                Duration.ofMinutes(2),
                3,
                1,
                Duration.ofSeconds(15),
                true);
    }
}
