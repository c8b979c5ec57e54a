package com.employable.flotilla.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.billing.support.Operator;
import com.employable.flotilla.common.cloudevents.EventJson;
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
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The service starts on a real broker and PostgreSQL: migrations in its own schema, its topics, health and metrics on
 * the management port only, and an API that answers nobody without the operator token.
 */
// every context joins the same consumer groups (the listener ids): none may outlive its class and take partitions
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = Operator.TOKEN_PROPERTY)
class ServiceStartsIT {

    private static final String[] API = {
        "/v1/teams/some-team/costs",
        "/v1/usage?from=2025-01-01&to=2025-01-02",
        "/v1/usage/plans?month=2025-01",
        "/v1/forecast"
    };

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        FlotillaTestProperties.register(registry, "billing_starts");
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    DataSource dataSource;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void isReadyWithItsSchemaItsTopicsAndPrometheusMetricsOnTheManagementPort() throws Exception {
        new ServiceStartChecks(port, managementPort).assertReadyWithPrometheusMetrics();
        ServiceStartChecks.assertTablesInSchema(dataSource, "billing", "flotilla_outbox", "flotilla_applied_event");
        ServiceStartChecks.assertTopicsWithDeadLetters("flotilla.server.lifecycle.v1", "flotilla.billing.usage.v1");
    }

    @Test
    void actuatorIsNotServedOnTheApiPort() throws Exception {
        new ServiceStartChecks(port, managementPort).assertNoActuatorOnTheApiPort("Bearer " + Operator.TOKEN);
    }

    @Test
    void everyApiCallWithoutTheOperatorTokenIsUnauthorizedWithAProblem() throws Exception {
        for (String path : API) {
            assertUnauthorized(send(HttpRequest.newBuilder(uri(port, path))), path);
            assertUnauthorized(
                    send(HttpRequest.newBuilder(uri(port, path))
                            .header("Authorization", "Bearer " + Operator.TOKEN + "x")),
                    path + " with a wrong token");
            assertUnauthorized(
                    send(HttpRequest.newBuilder(uri(port, path)).header("Authorization", "Basic " + Operator.TOKEN)),
                    path + " with the token as Basic");
        }
        // the same API spelled differently is still the API
        for (String variant : new String[] {
            "//v1/teams/some-team/costs",
            "/v1/./teams/some-team/costs",
            "/v1;x=y/teams/some-team/costs",
            "/%76%31/teams/some-team/costs",
            "/x/../v1/forecast"
        }) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri(port, variant)));
            assertThat(response.statusCode()).as(variant).isIn(400, 401, 404);
            assertThat(response.body()).as(variant).doesNotContain("totalUsd", "forecastMonthUsd");
        }
    }

    @Test
    void everyApiCallWithTheOperatorTokenIsServed() throws Exception {
        for (String path : API) {
            HttpResponse<String> response = send(Operator.get(port, path));
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        }
    }

    private static void assertUnauthorized(HttpResponse<String> response, String what) {
        assertThat(response.statusCode()).as(what).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).as(what).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse(""))
                .as(what)
                .startsWith("Bearer");
        JsonNode problem = EventJson.MAPPER.readTree(response.body());
        assertThat(problem.get("status").asInt()).as(what).isEqualTo(401);
        assertThat(problem.get("title").asString()).as(what).isEqualTo("Unauthorized");
        assertThat(response.body()).as(what).doesNotContain(Operator.TOKEN, "totalUsd", "USD");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int onPort, String path) {
        return URI.create("http://127.0.0.1:" + onPort + path);
    }
}
