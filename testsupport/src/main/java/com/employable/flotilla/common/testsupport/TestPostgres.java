package com.employable.flotilla.common.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

/**
 * One real PostgreSQL per test JVM: the server {@value #JDBC_URL_ENV} names (a superuser JDBC URL, user and password
 * as parameters; the test command starts the machine's PostgreSQL and sets it), otherwise an embedded PostgreSQL.
 * Each caller gets a database of its own, so tests never see each other's rows.
 */
public final class TestPostgres {

    public static final String JDBC_URL_ENV = "FLOTILLA_TEST_JDBC_URL";

    private static Server server;

    private TestPostgres() {}

    /**
     * A connection to a database created fresh for the caller.
     * @param purpose a readable prefix for the database name
     */
    public static synchronized TestDatabase newDatabase(String purpose) {
        Server current = server();
        String name = (purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_"
                + UUID.randomUUID().toString().substring(0, 8));
        try (Connection admin = current.connect("postgres")) {
            admin.createStatement().execute("create database " + name);
        } catch (SQLException failure) {
            throw new IllegalStateException("could not create test database " + name, failure);
        }
        return new TestDatabase(current.jdbcUrl(name), current.user(), current.password());
    }

    private static Server server() {
        if (server == null) {
            String configured = System.getenv(JDBC_URL_ENV);
            server = configured != null && !configured.isBlank() ? Server.external(configured) : Server.embedded();
        }
        return server;
    }

    static synchronized void stop() throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /**
     * A database for one test.
     * @param jdbcUrl URL without credentials
     */
    public record TestDatabase(String jdbcUrl, String user, String password) {

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl, user, password);
        }
    }

    private record Server(String host, int port, String user, String password, AutoCloseable handle)
            implements AutoCloseable {

        static Server embedded() {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                return new Server("localhost", postgres.getPort(), "postgres", "postgres", postgres);
            } catch (Exception failure) {
                throw new IllegalStateException(
                        "could not start embedded PostgreSQL; set " + JDBC_URL_ENV + " to a running server instead",
                        failure);
            }
        }

        /** Parses {@code jdbc:postgresql://host:port/db?user=..&password=..}. */
        static Server external(String jdbcUrl) {
            String rest = jdbcUrl.substring("jdbc:postgresql://".length());
            String hostPort = rest.substring(0, rest.indexOf('/'));
            String query = rest.contains("?") ? rest.substring(rest.indexOf('?') + 1) : "";
            Properties params = new Properties();
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.setProperty(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.indexOf(':')) : hostPort;
            int port = hostPort.contains(":") ? Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1)) : 5432;
            return new Server(
                    host, port, params.getProperty("user", "postgres"), params.getProperty("password", ""), () -> {});
        }

        String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        Connection connect(String database) throws SQLException {
            return DriverManager.getConnection(jdbcUrl(database), user, password);
        }

        @Override
        public void close() throws Exception {
            handle.close();
        }
    }
}
