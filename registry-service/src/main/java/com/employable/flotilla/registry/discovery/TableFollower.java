package com.employable.flotilla.registry.discovery;

import com.employable.flotilla.common.events.registry.ServerStatus;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Keeps this instance's {@link RegistryView} in step with the discovery table. One connection LISTENs on the channel
 * the table's trigger announces every publication on (migration V2); each batch of announced teams is read back in one
 * query. The whole table is read when the view starts and again after every reconnect, so a change made while the
 * connection was down is never missed. Every instance follows the whole table, whichever instance (or operator) wrote
 * the row. The first read happens before the web server starts, so no request meets an empty view.
 */
@Component
class TableFollower implements InitializingBean, DisposableBean, Runnable {

    static final String CHANNEL = "flotilla_registry_changed";

    private static final Logger log = LoggerFactory.getLogger(TableFollower.class);

    private static final int POLL_MILLIS = 500;

    /** How long a quiet connection goes unchecked: a vanished peer would otherwise go unnoticed. */
    private static final Duration CHECK_QUIET_AFTER = Duration.ofSeconds(15);

    private static final Duration LONGEST_BACKOFF = Duration.ofSeconds(5);

    private final DataSource dataSource;

    private final TeamServerTable table;

    private final RegistryView view;

    private final Counter resyncs;

    private final Thread thread = new Thread(this, "registry-view-follower");

    private volatile boolean running = true;

    private volatile Connection connection;

    private volatile int backendPid;

    private long lastHeardNanos;

    private long lastLoggedFailureNanos;

    TableFollower(DataSource dataSource, TeamServerTable table, RegistryView view, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.table = table;
        this.view = view;
        this.resyncs = meters.counter("flotilla.registry.view.resyncs");
        meters.gauge("flotilla.registry.view.connected", this, follower -> follower.connection == null ? 0 : 1);
        meters.gauge("flotilla.registry.view.teams", view, RegistryView::size);
        // for SREs: how many servers are idle (asleep by design) as opposed to unhealthy, and so on
        for (ServerStatus status : ServerStatus.values()) {
            Gauge.builder("flotilla.registry.servers", view, v -> v.count(status))
                    .tag("status", status.name().toLowerCase(Locale.ROOT))
                    .register(meters);
        }
    }

    @Override
    public void afterPropertiesSet() throws SQLException {
        connectAndResync();
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(5));
        close();
    }

    @Override
    public void run() {
        long backoffMillis = 100;
        while (running) {
            try {
                if (connection == null) {
                    connectAndResync();
                    lastLoggedFailureNanos = 0;
                    log.info("registry view following the table again ({} teams)", view.size());
                }
                follow();
                backoffMillis = 100;
            } catch (SQLException | RuntimeException failure) {
                if (!running) {
                    return;
                }
                logFailure(failure);
                close();
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException stopping) {
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, LONGEST_BACKOFF.toMillis());
            }
        }
    }

    /** The database backend serving the LISTEN, while connected (tests end it to prove the view recovers). */
    int backendPid() {
        return backendPid;
    }

    /** LISTEN first, then read everything: a change committed in between is both read and announced, never lost. */
    private void connectAndResync() throws SQLException {
        Connection listening = dataSource.getConnection();
        try (Statement statement = listening.createStatement()) {
            listening.setAutoCommit(true);
            statement.execute("LISTEN " + CHANNEL);
            try (var pid = statement.executeQuery("select pg_backend_pid()")) {
                pid.next();
                backendPid = pid.getInt(1);
            }
            view.replaceAll(table.allVisible());
        } catch (SQLException | RuntimeException failure) {
            connection = listening;
            close();
            throw failure;
        }
        connection = listening;
        lastHeardNanos = System.nanoTime();
        resyncs.increment();
    }

    private void follow() throws SQLException {
        PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
        if (notifications != null && notifications.length > 0) {
            lastHeardNanos = System.nanoTime();
            Set<String> teams = new LinkedHashSet<>();
            for (PGNotification notification : notifications) {
                teams.add(notification.getParameter());
            }
            view.refresh(teams, table.visible(teams));
        } else if (System.nanoTime() - lastHeardNanos > CHECK_QUIET_AFTER.toNanos()) {
            if (!connection.isValid(5)) {
                throw new SQLException("the LISTEN connection no longer answers");
            }
            lastHeardNanos = System.nanoTime();
        }
    }

    /** The connection leaves the pool for good: a pooled connection must not go on listening for someone else. */
    private void close() {
        Connection current = connection;
        connection = null;
        backendPid = 0;
        if (current == null) {
            return;
        }
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                dataSource.unwrap(HikariDataSource.class).evictConnection(current);
                return;
            }
            try (Statement statement = current.createStatement()) {
                statement.execute("UNLISTEN *");
            }
            current.close();
        } catch (SQLException ignored) {
            // broken already: the pool discards it
        }
    }

    /** A database outage is waited out; it is logged when it starts and then at most once a minute. */
    private void logFailure(Exception failure) {
        long now = System.nanoTime();
        if (lastLoggedFailureNanos == 0 || now - lastLoggedFailureNanos > TimeUnit.MINUTES.toNanos(1)) {
            lastLoggedFailureNanos = now;
            log.warn(
                    "registry view lost the table ({}); lookups serve the last known entries until it is back",
                    failure.toString());
        }
    }
}
