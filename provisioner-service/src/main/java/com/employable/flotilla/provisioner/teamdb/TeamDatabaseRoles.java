package com.employable.flotilla.provisioner.teamdb;

import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PasswordUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Creates and drops each team's database role through the SQL the team server ships (team-schema.sql, copied into
 * this jar at build time), so the role, its row-level-security binding and the tables always match the server that
 * uses them. Disabled when no team database is configured: team servers then run without notes.
 */
@Component
public class TeamDatabaseRoles {

    private static final Logger log = LoggerFactory.getLogger(TeamDatabaseRoles.class);
    private static final String SCHEMA_RESOURCE = "/team-db/team-schema.sql";
    /** Serialises schema installation across provisioner instances. */
    private static final long INSTALL_LOCK = 0x466c6f7444424c4bL;

    private final ProvisionerProperties.TeamServer settings;
    private final DataSource ownDatabase;
    private volatile boolean installed;

    public TeamDatabaseRoles(ProvisionerProperties properties, DataSource ownDatabase) {
        this.settings = properties.teamServer();
        this.ownDatabase = ownDatabase;
    }

    public boolean enabled() {
        return settings.databaseUrl() != null && !settings.databaseUrl().isBlank();
    }

    /** Role names are cluster-wide and at most 63 bytes: the team id (≤ 40 characters) always fits. */
    public static String roleName(String teamId) {
        return "flotilla_team_" + teamId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    }

    /**
     * Creates or updates the team's login role. Only a SCRAM-SHA-256 verifier of the password leaves this JVM (PostgreSQL
     * stores nothing else): the role DDL takes no bind parameters, so whatever is sent ends up in statement text that
     * server logs and error contexts quote.
     */
    public void ensureRole(String teamId, String password) {
        String verifier = PasswordUtil.encodeScramSha256(password.toCharArray());
        call("select flotilla_team.ensure_team_role(?, ?, ?)", teamId, roleName(teamId), verifier);
    }

    public void dropRole(String teamId) {
        call("select flotilla_team.drop_team_role(?, ?)", teamId, roleName(teamId), null);
    }

    private void call(String sql, String teamId, String role, String verifier) {
        try (Connection connection = adminConnection()) {
            installOnce(connection);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, teamId);
                statement.setString(2, role);
                if (verifier != null) {
                    statement.setString(3, verifier);
                }
                statement.execute();
            }
        } catch (SQLException e) {
            // the SQLSTATE and the server's one-line message name the rule that failed. The driver's exception is not
            // kept as the cause: its message carries the statement's context (the SQL that failed), and a cause ends
            // up in logs and, through the failure event, on Kafka
            throw new TeamDatabaseException("team database role for " + teamId + " failed: SQLSTATE " + e.getSQLState()
                    + " " + primaryMessage(e));
        }
    }

    private Connection adminConnection() throws SQLException {
        String adminUrl = settings.databaseAdminUrl();
        return adminUrl == null || adminUrl.isBlank()
                ? ownDatabase.getConnection()
                : DriverManager.getConnection(adminUrl);
    }

    private void installOnce(Connection connection) throws SQLException {
        if (installed) {
            return;
        }
        synchronized (this) {
            if (installed) {
                return;
            }
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("select pg_advisory_xact_lock(" + INSTALL_LOCK + ")");
                statement.execute(schemaSql());
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            installed = true;
            log.info("Team database schema installed");
        }
    }

    private static String schemaSql() {
        try (InputStream in = TeamDatabaseRoles.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + SCHEMA_RESOURCE, e);
        }
    }

    /** The server's primary message only: no detail, hint, position or context, which may quote SQL. */
    private static String primaryMessage(SQLException e) {
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            String message = psql.getServerErrorMessage().getMessage();
            return message == null ? "" : message;
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    public static class TeamDatabaseException extends RuntimeException {
        TeamDatabaseException(String message) {
            super(message, null, false, false);
        }
    }
}
