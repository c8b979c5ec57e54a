package com.employable.flotilla.teammcp.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh PostgreSQL database with the team schema installed, on the server {@code FLOTILLA_TEST_JDBC_URL} names (the
 * test command starts the machine's PostgreSQL) or on an embedded one. This module depends on no other Flotilla
 * module, so it does not borrow common's test support.
 */
public final class TeamDatabase {

    private static final String JDBC_URL_ENV = "FLOTILLA_TEST_JDBC_URL";
    private static String serverUrl;
    private static String adminUser;
    private static String adminPassword;

    private final String jdbcUrl;

    private TeamDatabase(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    public static synchronized TeamDatabase create() throws Exception {
        if (serverUrl == null) {
            String configured = System.getenv(JDBC_URL_ENV);
            if (configured != null && !configured.isBlank()) {
                var parsed = java.net.URI.create(configured.substring("jdbc:".length()));
                serverUrl = "jdbc:postgresql://" + parsed.getHost() + ":"
                        + (parsed.getPort() < 0 ? 5432 : parsed.getPort());
                adminUser = query(parsed.getQuery(), "user");
                adminPassword = query(parsed.getQuery(), "password");
            } else {
                EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        embedded.close();
                    } catch (IOException ignored) {
                        // the JVM is going away
                    }
                }));
                serverUrl = "jdbc:postgresql://localhost:" + embedded.getPort();
                adminUser = "postgres";
                adminPassword = "postgres";
            }
        }
        String name = "team_mcp_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = DriverManager.getConnection(serverUrl + "/postgres", adminUser, adminPassword)) {
            admin.createStatement().execute("create database " + name);
        }
        var database = new TeamDatabase(serverUrl + "/" + name);
        try (Connection connection = database.connectAsAdmin();
                InputStream schema = TeamDatabase.class.getResourceAsStream("/db/team-schema.sql")) {
            connection.createStatement().execute(new String(schema.readAllBytes(), StandardCharsets.UTF_8));
        }
        return database;
    }

    private static String query(String query, String key) {
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith(key + "=")) {
                return pair.substring(key.length() + 1);
            }
        }
        return "";
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Connection connectAsAdmin() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, adminUser, adminPassword);
    }

    public Connection connectAs(TeamRole role) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, role.name(), role.password());
    }

    /** Creates the team's role the way the provisioner does, through the shipped SQL function. */
    public TeamRole ensureRole(String teamId) throws SQLException {
        // role names are cluster-wide: a random suffix keeps parallel test databases apart
        String role = ("flotilla_team_" + teamId.replace('-', '_') + "_"
                        + UUID.randomUUID().toString().substring(0, 6))
                .toLowerCase(Locale.ROOT);
        String password = UUID.randomUUID() + "-" + UUID.randomUUID();
        try (Connection connection = connectAsAdmin();
                PreparedStatement ensure =
                        connection.prepareStatement("select flotilla_team.ensure_team_role(?, ?, ?)")) {
            ensure.setString(1, teamId);
            ensure.setString(2, role);
            // the schema takes a SCRAM verifier, never the password itself (see team-schema.sql)
            ensure.setString(3, org.postgresql.util.PasswordUtil.encodeScramSha256(password.toCharArray()));
            ensure.execute();
        }
        return new TeamRole(teamId, role, password);
    }

    public void dropRole(TeamRole role) throws SQLException {
        try (Connection connection = connectAsAdmin();
                PreparedStatement drop = connection.prepareStatement("select flotilla_team.drop_team_role(?, ?)")) {
            drop.setString(1, role.teamId());
            drop.setString(2, role.name());
            drop.execute();
        }
    }

    public record TeamRole(String teamId, String name, String password) {}
}
