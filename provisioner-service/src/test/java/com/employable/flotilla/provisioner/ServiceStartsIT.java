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
import org.springframework.boot.test.web.server.LocalManagementPort;
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
        "flotilla.operator.token=" + ServiceStartsIT.OPERATOR_TOKEN,
        // nothing listens here: the service must start (and stay up) while Fly is unreachable
        "flotilla.fly.api-url=http://127.0.0.1:9"})
class ServiceStartsIT {

    static final String OPERATOR_TOKEN = "starts-operator-token-0123456789abcdefghij";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        FlotillaTestProperties.register(registry, "provisioner_starts");
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

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

    @Test
    void theOperatorApiNeedsTheOperatorTokenAndActuatorIsOnlyOnTheManagementPort() throws Exception {
        String reconcile = "http://127.0.0.1:" + port + "/v1/teams/no-such-team/reconcile";
        var anonymous = http.send(HttpRequest.newBuilder(URI.create(reconcile))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        var wrong = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/teams/x"))
                .header("Authorization", "Bearer " + OPERATOR_TOKEN + "x").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);

        jdbc.sql("""
                insert into team (team_id, revision, plan, region, app_name, create_key, status)
                values ('operator-api', 1, 'starter', 'fra', 'flotilla-team-operator-api', 'k', 'awaiting-create')
                on conflict do nothing""").update();
        var authorised = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/v1/teams/operator-api/reconcile")).header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(authorised.statusCode()).isEqualTo(202);
        var status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/v1/teams/operator-api")).header("Authorization", "Bearer " + OPERATOR_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"teamId\":\"operator-api\"");

        assertThat(managementPort).isNotEqualTo(port);
        for (String actuator : new String[] {"/actuator/health/readiness", "/actuator/prometheus"}) {
            var onMainPort = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + actuator))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(onMainPort.statusCode()).as(actuator + " on the service port").isEqualTo(404);
        }
    }

    private String get(String path) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
