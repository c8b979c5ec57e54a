package com.employable.flotilla.common.testsupport;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The schema check sees tables in the named schema only, so migrations run into public do not pass it. */
class ServiceStartChecksSchemaTest {

    private static PGSimpleDataSource dataSource;

    @BeforeAll
    static void aServiceSchema() throws SQLException {
        TestPostgres.TestDatabase database = TestPostgres.newDatabase("start_checks");
        try (Connection connection = database.connect()) {
            connection.createStatement().execute("create schema billing");
            connection.createStatement().execute("create table billing.flotilla_outbox (id bigint)");
            connection.createStatement().execute("create table public.flotilla_applied_event (id bigint)");
        }
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(database.jdbcUrl());
        dataSource.setUser(database.user());
        dataSource.setPassword(database.password());
    }

    @Test
    void passesWhenTheTableIsInTheSchema() {
        assertThatCode(() -> ServiceStartChecks.assertTablesInSchema(dataSource, "billing", "flotilla_outbox"))
                .doesNotThrowAnyException();
    }

    @Test
    void failsWhenATableIsInAnotherSchema() {
        assertThatThrownBy(() -> ServiceStartChecks.assertTablesInSchema(
                        dataSource, "billing", "flotilla_outbox", "flotilla_applied_event"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("flotilla_applied_event");
    }
}
