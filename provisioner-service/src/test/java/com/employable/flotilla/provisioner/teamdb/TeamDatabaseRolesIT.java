package com.employable.flotilla.provisioner.teamdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.common.testsupport.TestPostgres;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.ProvisionerPropertiesTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The team database as the provisioner sets it up, on a real PostgreSQL, with a non-superuser admin role as in
 * production (a superuser bypasses row level security whatever the schema says): the team schema belongs to a
 * NOLOGIN owner role, row level security is forced, so neither the owner (nor its admin member) nor any other platform
 * role reads a team's notes, and a role's password never reaches the server in clear.
 */
class TeamDatabaseRolesIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String ADMIN = "flotilla_it_admin_" + SUFFIX;
    private static final String REGISTRY = "flotilla_it_registry_" + SUFFIX;
    private static final String PASSWORD = "it-admin-" + SUFFIX + "-0123456789";
    private static TestPostgres.TestDatabase superuser;
    private static String database;
    private static String base;

    @BeforeAll
    static void database() throws SQLException {
        superuser = TestPostgres.newDatabase("teamdb_roles");
        base = superuser.jdbcUrl().substring(0, superuser.jdbcUrl().lastIndexOf('/'));
        database = "teamdb_it_" + SUFFIX;
        try (Connection connection = superuser.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("create role " + ADMIN + " login createrole password '" + PASSWORD + "'");
            statement.execute("create role " + REGISTRY + " login password '" + PASSWORD + "'");
            statement.execute("create database " + database + " owner " + ADMIN);
        }
    }

    @AfterAll
    static void dropRoles() throws SQLException {
        try (Connection connection = superuser.connect();
                Statement statement = connection.createStatement()) {
            statement.execute(
                    "select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + database + "'");
            statement.execute("drop database if exists " + database);
            for (String role : new String[] {ADMIN, REGISTRY}) {
                statement.execute("drop owned by " + role + " cascade");
                statement.execute("drop role if exists " + role);
            }
            statement.execute("select 1 from pg_roles where rolname like 'flotilla_team_it_%'");
        }
    }

    private static String url(String user) {
        return base + "/" + database + "?user=" + user + "&password=" + PASSWORD;
    }

    private static TeamDatabaseRoles roles(String adminUrl) {
        ProvisionerProperties base = ProvisionerPropertiesTest.properties(
                ProvisionerPropertiesTest.GATEWAY,
                "",
                ProvisionerPropertiesTest.PROBE,
                "",
                ProvisionerPropertiesTest.TEAM_DB,
                null);
        var properties = new ProvisionerProperties(
                base.image(),
                base.plans(),
                base.regionGroups(),
                true,
                base.gatewayKey(),
                "",
                base.probeKey(),
                "",
                base.teamDbKey(),
                new ProvisionerProperties.TeamServer(null, null, null, null, url(ADMIN), adminUrl, null),
                4,
                base.resyncInterval(),
                true,
                base.orphanGrace(),
                5,
                0.5,
                base.startTimeout(),
                base.retryBase(),
                base.retryMax(),
                base.unhealthyRestartAfter(),
                base.unhealthyReplaceAfter(),
                3,
                1,
                base.observeInterval(),
                true);
        DataSource unused = new DriverManagerDataSource(url(ADMIN));
        return new TeamDatabaseRoles(properties, unused);
    }

    private static String teamPassword(String teamId) {
        return "team-password-" + teamId + "-0123456789abcdef";
    }

    /**
     * Found running devstack on a kept database: a non-superuser admin could create a team role but not ensure it
     * again (every restart, every secrets rotation), because ALTER ROLE named NOSUPERUSER and NOBYPASSRLS, which only a
     * superuser may name before PostgreSQL 16.
     */
    @Test
    void aNonSuperuserAdminEnsuresAnExistingTeamRoleAgainWithItsNewPassword() throws SQLException {
        TeamDatabaseRoles roles = roles(url(ADMIN));
        String team = "it-again-" + SUFFIX;
        roles.ensureRole(team, teamPassword(team));
        roles.ensureRole(team, teamPassword(team) + "-rotated");

        addNote(team, "after the rotation", teamPassword(team) + "-rotated");
        assertThat(titles(team, teamPassword(team) + "-rotated")).containsExactly("after the rotation");
    }

    @Test
    void noPlatformRoleReadsATeamsNotesAndDepartedTeamsAreStillErased() throws SQLException {
        TeamDatabaseRoles roles = roles(url(ADMIN));
        String a = "it-a-" + SUFFIX;
        String b = "it-b-" + SUFFIX;
        roles.ensureRole(a, teamPassword(a));
        roles.ensureRole(b, teamPassword(b));
        addNote(a, "a's secret plan");
        addNote(b, "b's secret plan");

        // each team sees its own rows only
        assertThat(titles(a)).containsExactly("a's secret plan");
        assertThat(titles(b)).containsExactly("b's secret plan");

        try (Connection admin = DriverManager.getConnection(url(ADMIN));
                Statement statement = admin.createStatement()) {
            // the provisioner's admin connection is a member of the owner: FORCE RLS hides every live team's notes
            assertThat(count(statement, "select count(*) from flotilla_team.note"))
                    .isZero();
            statement.execute("set role flotilla_team_owner");
            assertThat(count(statement, "select count(*) from flotilla_team.note"))
                    .isZero();
            assertThat(count(statement, "select count(*) from flotilla_team.note where team_id = '" + a + "'"))
                    .isZero();
            statement.execute("reset role");
            try (ResultSet owner = statement.executeQuery("select nspowner::regrole::text, "
                    + "(select relforcerowsecurity from pg_class where oid = 'flotilla_team.note'::regclass) "
                    + "from pg_namespace where nspname = 'flotilla_team'")) {
                owner.next();
                assertThat(owner.getString(1)).isEqualTo("flotilla_team_owner");
                assertThat(owner.getBoolean(2)).isTrue();
            }
        }
        // another platform service's role (the registry's, say) has no access at all
        try (Connection registry = DriverManager.getConnection(url(REGISTRY));
                Statement statement = registry.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("select count(*) from flotilla_team.note"))
                    .hasMessageContaining("permission denied");
        }

        roles.dropRole(a);
        try (Connection connection = superuser.connect().unwrap(Connection.class)) {
            // read as a superuser, which bypasses RLS: a's rows are gone, b's are untouched
            try (Connection su = DriverManager.getConnection(
                            base + "/" + database + "?user=" + superuser.user() + "&password=" + superuser.password());
                    Statement statement = su.createStatement()) {
                assertThat(count(statement, "select count(*) from flotilla_team.note where team_id = '" + a + "'"))
                        .isZero();
                assertThat(count(statement, "select count(*) from flotilla_team.note where team_id = '" + b + "'"))
                        .isEqualTo(1);
            }
        }
        assertThat(titles(b)).containsExactly("b's secret plan");
        roles.dropRole(b);
    }

    @Test
    void aFailingRoleCreationNeverShowsThePassword() throws Exception {
        String team = "it-fail-" + SUFFIX;
        roles(url(ADMIN)).ensureRole("it-warm-" + SUFFIX, teamPassword("it-warm-" + SUFFIX)); // schema installed
        String password = teamPassword(team);
        // hold pg_authid so that CREATE ROLE, inside the function's EXECUTE, times out: the error's context quotes
        // the statement the function built
        try (Connection blocker = DriverManager.getConnection(
                base + "/" + database + "?user=" + superuser.user() + "&password=" + superuser.password())) {
            blocker.setAutoCommit(false);
            blocker.createStatement().execute("lock table pg_catalog.pg_authid in share mode");
            PrintStream originalErr = System.err;
            PrintStream originalOut = System.out;
            var captured = new ByteArrayOutputStream();
            Throwable thrown;
            try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
                System.setErr(capture);
                System.setOut(capture);
                TeamDatabaseRoles roles = roles(url(ADMIN) + "&options=-c%20lock_timeout%3D300");
                thrown = org.assertj.core.api.Assertions.catchThrowable(() -> roles.ensureRole(team, password));
                if (thrown != null) {
                    thrown.printStackTrace();
                }
            } finally {
                System.setErr(originalErr);
                System.setOut(originalOut);
                blocker.rollback();
            }
            assertThat(thrown)
                    .isInstanceOf(TeamDatabaseRoles.TeamDatabaseException.class)
                    .hasMessageContaining("SQLSTATE 55P03")
                    .hasNoCause();
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(password);
            }
            assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain(password);
        }
        // and the role does work afterwards, with the password it was given as a verifier
        roles(url(ADMIN)).ensureRole(team, password);
        try (Connection asTeam =
                DriverManager.getConnection(base + "/" + database, TeamDatabaseRoles.roleName(team), password)) {
            assertThat(asTeam.isValid(2)).isTrue();
        }
        roles(url(ADMIN)).dropRole(team);
        roles(url(ADMIN)).dropRole("it-warm-" + SUFFIX);
    }

    private static void addNote(String teamId, String title) throws SQLException {
        addNote(teamId, title, teamPassword(teamId));
    }

    private static void addNote(String teamId, String title, String password) throws SQLException {
        try (Connection team = DriverManager.getConnection(
                        base + "/" + database, TeamDatabaseRoles.roleName(teamId), password);
                PreparedStatement insert =
                        team.prepareStatement("insert into flotilla_team.note (team_id, title) values (?, ?)")) {
            insert.setString(1, teamId);
            insert.setString(2, title);
            insert.execute();
        }
    }

    private static java.util.List<String> titles(String teamId) throws SQLException {
        return titles(teamId, teamPassword(teamId));
    }

    private static java.util.List<String> titles(String teamId, String password) throws SQLException {
        try (Connection team = DriverManager.getConnection(
                        base + "/" + database, TeamDatabaseRoles.roleName(teamId), password);
                Statement statement = team.createStatement();
                ResultSet rows = statement.executeQuery("select title from flotilla_team.note order by title")) {
            var titles = new java.util.ArrayList<String>();
            while (rows.next()) {
                titles.add(rows.getString(1));
            }
            return titles;
        }
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
