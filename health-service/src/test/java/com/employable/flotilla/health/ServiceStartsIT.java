package com.employable.flotilla.health;

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
import com.employable.flotilla.health.support.HealthServiceContext;
import com.employable.flotilla.health.support.Operator;

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
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void isReadyWithItsSchemaItsTopicsAndPrometheusMetricsOnTheManagementPort() throws Exception {
        assertThat(managementPort).isNotEqualTo(port);
        assertThat(get(managementPort, "/actuator/health/readiness")).contains("\"status\":\"UP\"");
        assertThat(get(managementPort, "/actuator/health/liveness")).contains("\"status\":\"UP\"");
        assertThat(get(managementPort, "/actuator/prometheus")).contains("jvm_memory_used_bytes");
        assertThat(jdbc.sql("select count(*) from information_schema.tables where table_schema = 'health' "
                + "and table_name in ('flotilla_outbox', 'flotilla_applied_event')").query(Integer.class).single())
            .isEqualTo(2);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(admin.listTopics().names().get())
                .containsAll(Set.of("flotilla.registry.v1", "flotilla.registry.v1-dlt", "flotilla.health.v1", "flotilla.health.v1-dlt")));
        }
    }

    @Test
    void actuatorIsNotServedOnTheApiPort() throws Exception {
        for (String path : new String[] { "/actuator/health", "/actuator/prometheus", "/actuator" }) {
            assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))).statusCode())
                .as(path).isEqualTo(404);
            assertThat(http.send(Operator.get(port, path), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as(path + " with the token").isEqualTo(404);
        }
    }

    private String get(int onPort, String path) throws Exception {
        var response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + onPort + path)));
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
