package com.employable.flotilla.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.testsupport.FlotillaTestProperties;
import com.employable.flotilla.common.testsupport.ServiceStartChecks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The service starts on a real broker and PostgreSQL: migrations in its own schema, its topics, health, metrics. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "flotilla.provisioner.gateway-key=c3RhcnRzLWdhdGV3YXkta2V5LTAxMjM0NTY3ODkwMTIzNDU2Nzg5",
            "flotilla.provisioner.probe-key=c3RhcnRzLXByb2JlLWtleS0wMTIzNDU2Nzg5MDEyMzQ1Njc4OTAx",
            "flotilla.provisioner.team-db-key=c3RhcnRzLXRlYW0tZGIta2V5LTAxMjM0NTY3ODkwMTIzNDU2Nzg5",
            "flotilla.operator.token=" + ServiceStartsIT.OPERATOR_TOKEN,
            // nothing listens here: the service must start (and stay up) while Fly is unreachable
            "flotilla.fly.api-url=http://127.0.0.1:9"
        })
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

    @Autowired
    DataSource dataSource;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void isReadyWithItsSchemaItsTopicsAndPrometheusMetrics() throws Exception {
        new ServiceStartChecks(port, managementPort).assertReadyWithPrometheusMetrics();
        ServiceStartChecks.assertTablesInSchema(dataSource, "provisioner", "flotilla_outbox", "flotilla_applied_event");
        ServiceStartChecks.assertTopicsWithDeadLetters(
                "employable.team.lifecycle.v1", "flotilla.server.lifecycle.v1", "flotilla.health.v1");
    }

    @Test
    void actuatorIsOnlyOnTheManagementPort() throws Exception {
        new ServiceStartChecks(port, managementPort).assertNoActuatorOnTheApiPort("Bearer " + OPERATOR_TOKEN);
    }

    @Test
    void theOperatorApiNeedsTheOperatorToken() throws Exception {
        String reconcile = "http://127.0.0.1:" + port + "/v1/teams/no-such-team/reconcile";
        var anonymous = http.send(
                HttpRequest.newBuilder(URI.create(reconcile))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        var wrong = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/teams/x"))
                        .header("Authorization", "Bearer " + OPERATOR_TOKEN + "x")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);

        jdbc.sql("""
                insert into team (team_id, revision, plan, region, app_name, create_key, status)
                values ('operator-api', 1, 'starter', 'fra', 'flotilla-team-operator-api', 'k', 'awaiting-create')
                on conflict do nothing""").update();
        var authorised = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/teams/operator-api/reconcile"))
                        .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(authorised.statusCode()).isEqualTo(202);
        var status = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/teams/operator-api"))
                        .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"teamId\":\"operator-api\"");
    }
}
