package com.employable.flotilla.e2e.tracing;

import static com.employable.flotilla.e2e.support.ServiceProcesses.randomBytes;
import static com.employable.flotilla.e2e.support.ServiceProcesses.randomKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TestPostgres;
import com.employable.flotilla.e2e.support.DerivedCredentials;
import com.employable.flotilla.e2e.support.ServiceProcesses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs a service as its own process with the OpenTelemetry Java agent exporting OTLP/HTTP to an in-test receiver,
 * exactly as devstack and the images do, and checks what reaches the trace backend: the caller's trace continues
 * inside the service, and no span carries a secret.
 */
class TracingIT {

    private static final String SERVICE = "provisioner-service";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static OtlpReceiver receiver;
    private static Process process;
    private static int port;
    private static String gatewayKey;
    private static String probeKey;
    private static String databasePassword;

    @BeforeAll
    static void startServiceWithAgent() throws Exception {
        receiver = new OtlpReceiver();
        gatewayKey = randomKey();
        probeKey = randomKey();
        var db = TestPostgres.newDatabase("tracing");
        // a password equal to the user name (as in CI's test role) cannot be told apart from the db.user attribute
        databasePassword = db.password() != null && db.password().equals(db.user()) ? null : db.password();
        var env = new LinkedHashMap<String, String>();
        env.put("FLOTILLA_KAFKA_BOOTSTRAP", TestKafka.bootstrapServers());
        env.put("FLOTILLA_DATABASE_URL", db.jdbcUrl());
        env.put("FLOTILLA_DATABASE_USER", db.user());
        env.put("FLOTILLA_DATABASE_PASSWORD", db.password());
        env.put("FLOTILLA_GATEWAY_KEY", gatewayKey);
        env.put("FLOTILLA_PROBE_KEY", probeKey);
        env.put("FLOTILLA_TEAM_DB_KEY", randomKey());
        env.put("FLOTILLA_FLY_API_URL", "http://127.0.0.1:9");
        var service = ServiceProcesses.startService(
                SERVICE,
                ServiceProcesses.jar(SERVICE),
                ServiceProcesses.tracingAgent(SERVICE, receiver.endpoint()),
                env);
        process = service.process();
        // the traced requests below go to actuator, which now listens on the management port only
        port = service.managementPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (process != null) {
            process.destroy();
            process.onExit().get();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void callersTraceContinuesInsideTheService() throws Exception {
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String parentSpanId = HexFormat.of().formatHex(randomBytes(8));

        status("/actuator/health/readiness", "00-" + traceId + "-" + parentSpanId + "-01", null);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(receiver.spans())
                        .filteredOn(s -> s.traceId().equals(traceId))
                        .anySatisfy(s -> {
                            assertThat(s.service()).isEqualTo(SERVICE);
                            assertThat(s.span().getKind())
                                    .isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER);
                            assertThat(OtlpReceiver.hex(
                                            s.span().getParentSpanId().toByteArray()))
                                    .isEqualTo(parentSpanId);
                        }));
    }

    @Test
    void noSpanCarriesASecret() throws Exception {
        String team = "trace-" + HexFormat.of().formatHex(randomBytes(3));
        String jwt = "eyJhbGciOiJIUzI1NiJ9."
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(("{\"sub\":\"agent\",\"team\":\"" + team + "\"}").getBytes())
                + ".c2lnbmF0dXJl";
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        // a request that carries a credential the way agents and probes send them
        status(
                "/actuator/health/readiness",
                "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01",
                jwt);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.spans().stream().anyMatch(s -> s.traceId().equals(traceId)));

        List<String> secrets = new ArrayList<>(List.of(
                gatewayKey,
                probeKey,
                jwt,
                DerivedCredentials.teamTokenKey(gatewayKey, team),
                DerivedCredentials.probeToken(probeKey, team)));
        if (databasePassword != null) {
            secrets.add(databasePassword);
        }
        assertThat(receiver.spans()).isNotEmpty();
        for (String value : receiver.allAttributeValues()) {
            for (String secret : secrets) {
                assertThat(value).as("a span attribute").doesNotContain(secret);
            }
        }
    }

    private static int status(String path, String traceparent, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .GET();
        if (traceparent != null) {
            b.header("traceparent", traceparent);
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
