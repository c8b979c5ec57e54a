package com.employable.flotilla.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * What every Flotilla service shows once it has started, checked the same way for each so the services cannot drift
 * apart: readiness, liveness and Prometheus metrics on a management port of its own, no actuator on the API port,
 * its tables in its own schema, and its topics with their dead-letter topics on the broker.
 */
public final class ServiceStartChecks {

    /** Whatever a scraper or a curious client would try on the API port, from the index to the environment. */
    private static final List<String> ACTUATOR_PATHS = List.of(
            "/actuator", "/actuator/health", "/actuator/health/readiness", "/actuator/prometheus", "/actuator/env");

    /** Micrometer registers it in every JVM, so its absence means the Prometheus endpoint is not the real one. */
    private static final String A_JVM_METRIC = "jvm_memory_used_bytes";

    private static final String DEAD_LETTER_SUFFIX = "-dlt";

    /** Topics are created by the service's admin shortly after the context starts, not before the test runs. */
    private static final Duration TOPIC_CREATION = Duration.ofSeconds(20);

    private final int apiPort;

    private final int managementPort;

    private final HttpClient http = HttpClient.newHttpClient();

    public ServiceStartChecks(int apiPort, int managementPort) {
        this.apiPort = apiPort;
        this.managementPort = managementPort;
    }

    /** Ready, live and exporting JVM metrics for Prometheus, all on the management port. */
    public void assertReadyWithPrometheusMetrics() throws IOException, InterruptedException {
        assertManagementPortApart();
        assertThat(okBody(managementPort, "/actuator/health/readiness")).contains("\"status\":\"UP\"");
        assertThat(okBody(managementPort, "/actuator/health/liveness")).contains("\"status\":\"UP\"");
        assertThat(okBody(managementPort, "/actuator/prometheus")).contains(A_JVM_METRIC);
    }

    /**
     * No actuator path is served on the API port, neither anonymously nor with any of the given credentials.
     * @param authorizations values of the {@code Authorization} header a caller may hold, such as the operator token
     */
    public void assertNoActuatorOnTheApiPort(String... authorizations) throws IOException, InterruptedException {
        assertManagementPortApart();
        for (String path : ACTUATOR_PATHS) {
            assertNotServed(HttpRequest.newBuilder(uri(apiPort, path)), path);
            for (String authorization : authorizations) {
                assertNotServed(
                        HttpRequest.newBuilder(uri(apiPort, path)).header("Authorization", authorization),
                        path + " with credentials");
            }
        }
    }

    /** The body of an anonymous GET that must answer 200, such as a public document on the API port. */
    public String okBody(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(port, path)));
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    /** Each of the tables exists in the service's own schema (its migrations ran there, not in public). */
    public static void assertTablesInSchema(DataSource dataSource, String schema, String... tables)
            throws SQLException {
        assertThat(tablesIn(dataSource, schema))
                .as("tables in schema " + schema)
                .contains(tables);
    }

    /** Each topic and its dead-letter topic exist on the shared broker. */
    public static void assertTopicsWithDeadLetters(String... topics) {
        List<String> expected = new ArrayList<>();
        for (String topic : topics) {
            expected.add(topic);
            expected.add(topic + DEAD_LETTER_SUFFIX);
        }
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            await().atMost(TOPIC_CREATION)
                    .untilAsserted(
                            () -> assertThat(admin.listTopics().names().get()).containsAll(expected));
        }
    }

    private void assertManagementPortApart() {
        assertThat(managementPort).as("the management port").isNotEqualTo(apiPort);
    }

    private void assertNotServed(HttpRequest.Builder request, String what) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request);
        assertThat(response.statusCode()).as(what + " on the API port").isEqualTo(404);
        assertThat(response.body()).as(what + " on the API port").doesNotContain(A_JVM_METRIC);
    }

    private static List<String> tablesIn(DataSource dataSource, String schema) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select table_name from information_schema.tables where table_schema = ?")) {
            query.setString(1, schema);
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            return tables;
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
