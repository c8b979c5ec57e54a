package com.employable.flotilla.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.testsupport.ServiceStartChecks;
import com.employable.flotilla.registry.support.RegistryIntegrationTest;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The service starts on a real broker and PostgreSQL: migrations in its own schema, its topics, and health and metrics
 * on the management port only.
 */
class ServiceStartsIT extends RegistryIntegrationTest {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    DataSource dataSource;

    @Test
    void isReadyWithItsSchemaItsTopicsAndPrometheusMetrics() throws Exception {
        ServiceStartChecks checks = new ServiceStartChecks(port, managementPort);
        checks.assertReadyWithPrometheusMetrics();
        // the OpenAPI document is public: clients read it before they hold a token
        assertThat(checks.okBody(port, "/openapi.yaml"))
                .contains("/v1/teams/{teamId}/server")
                .contains("/{teamId}/mcp");
        ServiceStartChecks.assertTablesInSchema(
                dataSource, "registry", "flotilla_outbox", "flotilla_applied_event", "team_server", "gateway_session");
        ServiceStartChecks.assertTopicsWithDeadLetters(
                "flotilla.server.lifecycle.v1", "flotilla.health.v1", "flotilla.registry.v1");
    }

    @Test
    void actuatorIsNotServedOnThePublicPort() throws Exception {
        new ServiceStartChecks(port, managementPort).assertNoActuatorOnTheApiPort();
    }
}
