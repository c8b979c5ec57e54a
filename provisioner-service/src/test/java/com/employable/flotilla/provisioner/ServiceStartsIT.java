package com.employable.flotilla.provisioner;

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
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.employable.flotilla.common.testsupport.FlotillaTestProperties;
import com.employable.flotilla.common.testsupport.TestKafka;

/** The service starts on a real broker and PostgreSQL: migrations in its own schema, its topics, health, metrics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "flotilla.provisioner.gateway-key=c3RhcnRzLWdhdGV3YXkta2V5LTAxMjM0NTY3ODkwMTIzNDU2Nzg5",
        "flotilla.provisioner.probe-key=c3RhcnRzLXByb2JlLWtleS0wMTIzNDU2Nzg5MDEyMzQ1Njc4OTAx",
        "flotilla.provisioner.team-db-key=c3RhcnRzLXRlYW0tZGIta2V5LTAxMjM0NTY3ODkwMTIzNDU2Nzg5",
        // nothing listens here: the service must start (and stay up) while Fly is unreachable
        "flotilla.fly.api-url=http://127.0.0.1:9"})
class ServiceStartsIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        FlotillaTestProperties.register(registry, "provisioner_starts");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void isReadyWithItsSchemaItsTopicsAndPrometheusMetrics() throws Exception {
        assertThat(get("/actuator/health/readiness")).contains("\"status\":\"UP\"");
        assertThat(get("/actuator/health/liveness")).contains("\"status\":\"UP\"");
        assertThat(get("/actuator/prometheus")).contains("jvm_memory_used_bytes");
        assertThat(jdbc.sql("select count(*) from information_schema.tables where table_schema = 'provisioner' "
                + "and table_name in ('flotilla_outbox', 'flotilla_applied_event')").query(Integer.class).single())
            .isEqualTo(2);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(admin.listTopics().names().get())
                .containsAll(Set.of("employable.team.lifecycle.v1", "employable.team.lifecycle.v1-dlt", "flotilla.server.lifecycle.v1", "flotilla.server.lifecycle.v1-dlt", "flotilla.health.v1", "flotilla.health.v1-dlt")));
        }
    }

    private String get(String path) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
