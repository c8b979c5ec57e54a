package com.employable.flotilla.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.registry.support.RegistryIntegrationTest;

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
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void isReadyWithItsSchemaItsTopicsAndPrometheusMetrics() throws Exception {
        assertThat(get(managementPort, "/actuator/health/readiness")).contains("\"status\":\"UP\"");
        assertThat(get(managementPort, "/actuator/health/liveness")).contains("\"status\":\"UP\"");
        assertThat(get(managementPort, "/actuator/prometheus")).contains("jvm_memory_used_bytes");
        // the OpenAPI document is public: clients read it before they hold a token
        assertThat(get(port, "/openapi.yaml")).contains("/v1/teams/{teamId}/server").contains("/{teamId}/mcp");
        assertThat(jdbc.sql("select count(*) from information_schema.tables where table_schema = 'registry' "
                + "and table_name in ('flotilla_outbox', 'flotilla_applied_event', 'team_server', 'gateway_session')")
            .query(Integer.class)
            .single()).isEqualTo(4);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(admin.listTopics().names().get())
                .containsAll(Set.of("flotilla.server.lifecycle.v1", "flotilla.server.lifecycle.v1-dlt", "flotilla.health.v1", "flotilla.health.v1-dlt", "flotilla.registry.v1", "flotilla.registry.v1-dlt")));
        }
    }

    @Test
    void actuatorIsNotServedOnThePublicPort() throws Exception {
        assertThat(managementPort).isNotEqualTo(port);
        for (String path : java.util.List.of("/actuator/prometheus", "/actuator/health", "/actuator/env",
                "/actuator")) {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).doesNotContain("jvm_memory_used_bytes");
        }
    }

    private String get(int onPort, String path) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + onPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
