package com.employable.flotilla.e2e.tracing;

import static com.employable.flotilla.e2e.support.ServiceProcesses.randomBytes;
import static com.employable.flotilla.e2e.support.ServiceProcesses.randomKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TestPostgres;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.e2e.support.CloudEventRecords;
import com.employable.flotilla.e2e.support.DerivedCredentials;
import com.employable.flotilla.e2e.support.ServiceProcesses;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The platform's path for a new team as an SRE sees it in Jaeger: employable publishes {@code team.created} inside
 * a trace, and that one trace id covers the provisioner consuming it, its Fly API calls, the
 * {@code server.provisioned} it publishes, the registry consuming that, and the health-service's first MCP probe of
 * the new server. Provisioner, registry and health run as processes with the OpenTelemetry agent exporting to an
 * in-test OTLP receiver; local-fly runs the team server as a real process. No span carries a secret.
 */
class TraceChainIT {

    private static final String TOKEN = "trace-chain-fly-token";
    private static final List<Process> PROCESSES = new ArrayList<>();

    private static OtlpReceiver receiver;
    private static String gatewayKey;
    private static String probeKey;
    private static String jwtSecret;

    @BeforeAll
    static void startPlatform() throws Exception {
        receiver = new OtlpReceiver();
        gatewayKey = randomKey();
        probeKey = randomKey();
        jwtSecret = randomKey();
        var db = TestPostgres.newDatabase("trace_chain");
        ServiceProcesses.LocalFly fly = ServiceProcesses.startLocalFly("trace-chain-fly", "process", TOKEN);
        PROCESSES.add(fly.process());

        var common = new LinkedHashMap<String, String>();
        common.put("FLOTILLA_KAFKA_BOOTSTRAP", TestKafka.bootstrapServers());
        common.put("FLOTILLA_DATABASE_URL", db.jdbcUrl());
        common.put("FLOTILLA_DATABASE_USER", db.user());
        common.put("FLOTILLA_DATABASE_PASSWORD", db.password());
        common.put("FLOTILLA_GATEWAY_KEY", gatewayKey);
        common.put("FLOTILLA_PROBE_KEY", probeKey);
        common.put("FLOTILLA_TEAM_DB_KEY", randomKey());
        common.put("FLOTILLA_FLY_API_URL", fly.apiUrl());
        common.put("FLY_API_TOKEN", TOKEN);
        common.put("FLOTILLA_ENDPOINT_URL_TEMPLATE", fly.endpointTemplate());
        common.put("FLOTILLA_PRIVATE_ENDPOINT_URL_TEMPLATE", fly.endpointTemplate());
        common.put("FLOTILLA_MACHINE_URL_TEMPLATE", fly.machineTemplate());
        common.put("FLOTILLA_JWT_HS256_SECRET", jwtSecret);
        common.put("FLOTILLA_JWT_ISSUER", "flotilla-e2e");
        common.put("FLOTILLA_JWT_AUDIENCE", "flotilla");
        common.put("FLOTILLA_HEALTH_INTERVAL", "3s");
        for (String service : List.of("provisioner-service", "registry-service", "health-service")) {
            PROCESSES.add(ServiceProcesses.startService(
                            "chain-" + service,
                            ServiceProcesses.jar(service),
                            ServiceProcesses.tracingAgent(service, receiver.endpoint()),
                            common)
                    .process());
        }
    }

    @AfterAll
    static void stopPlatform() {
        for (Process process : PROCESSES) {
            process.destroy();
        }
        for (Process process : PROCESSES) {
            process.onExit().join();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void oneTraceCoversTeamCreatedToTheFirstHealthProbe() {
        String team = "trace-" + HexFormat.of().formatHex(randomBytes(3));
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String traceparent = "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01";
        ProducerRecord<String, byte[]> record = CloudEventRecords.teamCreated(team, "Traced", "starter", "iad");
        // employable's producer, traced: the W3C header its own instrumentation would add
        record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        TopicProbe.send(TestKafka.bootstrapServers(), List.of(record));

        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    List<OtlpReceiver.ReceivedSpan> trace = receiver.spans().stream()
                            .filter(span -> span.traceId().equals(traceId))
                            .toList();
                    assertThat(trace).as("provisioner consumed team.created").anySatisfy(span -> {
                        assertThat(span.service()).isEqualTo("provisioner-service");
                        assertThat(span.span().getKind()).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);
                    });
                    assertThat(trace).as("provisioner called the Fly API").anySatisfy(span -> {
                        assertThat(span.service()).isEqualTo("provisioner-service");
                        assertThat(span.span().getKind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
                        assertThat(span.span().getName()).startsWith("POST");
                    });
                    assertThat(trace)
                            .as("provisioner published server.provisioned")
                            .anySatisfy(span -> {
                                assertThat(span.service()).isEqualTo("provisioner-service");
                                assertThat(span.span().getKind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
                            });
                    assertThat(trace).as("registry consumed it").anySatisfy(span -> {
                        assertThat(span.service()).isEqualTo("registry-service");
                        assertThat(span.span().getKind()).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);
                    });
                    assertThat(trace)
                            .as("health probed the new server over MCP")
                            .anySatisfy(span -> {
                                assertThat(span.service()).isEqualTo("health-service");
                                assertThat(span.span().getKind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
                            });
                });

        List<String> secrets = List.of(
                gatewayKey,
                probeKey,
                jwtSecret,
                TOKEN,
                DerivedCredentials.teamTokenKey(gatewayKey, team),
                DerivedCredentials.probeToken(probeKey, team));
        for (String value : receiver.allAttributeValues()) {
            for (String secret : secrets) {
                assertThat(value).as("a span attribute").doesNotContain(secret);
            }
        }
    }
}
