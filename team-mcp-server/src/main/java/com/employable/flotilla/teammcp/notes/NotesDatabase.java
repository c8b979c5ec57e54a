package com.employable.flotilla.teammcp.notes;

import com.employable.flotilla.teammcp.ServerConfig.DatabaseSettings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The team's database, connected as the team's own role. The pool is created on first use, never at start-up, so
 * the server is ready in milliseconds and serves /healthz and team_info even when the database is down or absent.
 * Before the first query it checks that the role is bound to this server's team: a role bound to another team would
 * otherwise show that team's notes under this team's name.
 */
public final class NotesDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NotesDatabase.class);

    private static final int POOL_SIZE = 4;
    private static final long CONNECTION_TIMEOUT_MILLIS = 3_000;
    private static final long IDLE_TIMEOUT_MILLIS = 5 * 60_000;
    private static final long MAX_LIFETIME_MILLIS = 30 * 60_000;

    private final Optional<DatabaseSettings> settings;
    private final String teamId;
    private volatile HikariDataSource pool;
    private volatile boolean teamVerified;

    public NotesDatabase(Optional<DatabaseSettings> settings, String teamId) {
        this.settings = settings;
        this.teamId = teamId;
    }

    public boolean configured() {
        return settings.isPresent();
    }

    Connection connection() throws SQLException {
        HikariDataSource dataSource = pool();
        Connection connection = dataSource.getConnection();
        if (!teamVerified) {
            try {
                verifyTeamBinding(connection);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    private void verifyTeamBinding(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select flotilla_team.current_team_id()")) {
            String bound = rows.next() ? rows.getString(1) : null;
            if (bound == null) {
                throw new TeamBindingException("the database role is not bound to any team");
            }
            if (!bound.equals(teamId)) {
                log.error("Database role is bound to a different team; refusing to use it for notes");
                throw new TeamBindingException("the database role is bound to a different team");
            }
        }
        teamVerified = true;
    }

    private HikariDataSource pool() {
        HikariDataSource current = pool;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (pool == null) {
                DatabaseSettings db = settings.orElseThrow(NotConfiguredException::new);
                var config = new HikariConfig();
                config.setPoolName("notes");
                config.setJdbcUrl(db.jdbcUrl());
                db.user().ifPresent(config::setUsername);
                db.password().ifPresent(password -> config.setPassword(password.utf8()));
                config.setMaximumPoolSize(POOL_SIZE);
                config.setMinimumIdle(1);
                config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
                config.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
                config.setMaxLifetime(MAX_LIFETIME_MILLIS);
                // Build the pool even when the database is down: each tool call retries, nothing crashes
                config.setInitializationFailTimeout(-1);
                config.addDataSourceProperty("ApplicationName", "flotilla-team-mcp-server");
                pool = new HikariDataSource(config);
            }
            return pool;
        }
    }

    /** Opens the pool in the background so the first notes call does not pay for it; harmless if it fails. */
    public void warmUp() {
        if (!configured()) {
            return;
        }
        Thread warmer = new Thread(
                () -> {
                    try (Connection ignored = connection()) {
                        log.info("Notes database reachable and bound to team");
                    } catch (SQLException | RuntimeException e) {
                        log.warn("Notes database not usable yet: {}", describe(e));
                    }
                },
                "notes-db-warm-up");
        warmer.setDaemon(true);
        warmer.start();
    }

    /** A failure summary safe to log and to show to a caller: SQLSTATE and class, never a URL or credentials. */
    static String describe(Exception e) {
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            return "SQLSTATE " + sql.getSQLState();
        }
        return e.getClass().getSimpleName();
    }

    @Override
    public void close() {
        HikariDataSource current = pool;
        if (current != null) {
            current.close();
        }
    }

    /** No database is configured for this server. */
    static final class NotConfiguredException extends RuntimeException {
        NotConfiguredException() {
            super("no notes database is configured for this server", null, false, false);
        }
    }

    /** The database role's team is missing or not this server's team. */
    static final class TeamBindingException extends RuntimeException {
        TeamBindingException(String message) {
            super(message, null, false, false);
        }
    }
}
