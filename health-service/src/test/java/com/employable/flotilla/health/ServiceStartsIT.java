package com.employable.flotilla.health;

import com.employable.flotilla.common.testsupport.ServiceStartChecks;
import com.employable.flotilla.health.support.HealthServiceContext;
import com.employable.flotilla.health.support.Operator;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The service starts on a real broker and PostgreSQL: migrations in its own schema, its topics, health and metrics on
 * the management port only.
 */
class ServiceStartsIT extends HealthServiceContext {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    DataSource dataSource;

    @Test
    void isReadyWithItsSchemaItsTopicsAndPrometheusMetricsOnTheManagementPort() throws Exception {
        new ServiceStartChecks(port, managementPort).assertReadyWithPrometheusMetrics();
        ServiceStartChecks.assertTablesInSchema(dataSource, "health", "flotilla_outbox", "flotilla_applied_event");
        ServiceStartChecks.assertTopicsWithDeadLetters("flotilla.registry.v1", "flotilla.health.v1");
    }

    @Test
    void actuatorIsNotServedOnTheApiPort() throws Exception {
        new ServiceStartChecks(port, managementPort).assertNoActuatorOnTheApiPort("Bearer " + Operator.TOKEN);
    }
}
