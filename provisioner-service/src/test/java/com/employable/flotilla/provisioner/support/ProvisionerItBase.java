package com.employable.flotilla.provisioner.support;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.CloudEventHeaders;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.common.events.team.TeamLifecycleEvent;
import com.employable.flotilla.common.testsupport.FlotillaTestProperties;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.provisioner.fly.FlyApps;
import com.employable.flotilla.provisioner.fly.FlyIps;
import com.employable.flotilla.provisioner.fly.FlyMachines;
import com.employable.flotilla.provisioner.fly.FlySecrets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One Spring context for every provisioner IT: the real broker, a real PostgreSQL (also the team database, so team
 * roles are really created), and local-fly as a process. Tests look at Fly through their own client, as an operator
 * would, and at the outcome topic as the registry and billing would.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "flotilla.provisioner.gateway-key=aXQtZ2F0ZXdheS1rZXktMDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz",
            "flotilla.provisioner.probe-key=" + ProvisionerItBase.PROBE_KEY,
            "flotilla.provisioner.team-db-key=aXQtdGVhbS1kYi1rZXktMDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz",
            "flotilla.provisioner.resync-interval=3s",
            "flotilla.provisioner.orphan-grace=2s",
            "flotilla.provisioner.retry-base=200ms",
            "flotilla.provisioner.retry-max=3s",
            "flotilla.provisioner.workers=8",
            "flotilla.operator.token=" + ProvisionerItBase.OPERATOR_TOKEN,
            "flotilla.provisioner.unhealthy-restart-after=0s",
            "flotilla.provisioner.unhealthy-replace-after=2s",
            "flotilla.fly.retry-base=50ms",
            "flotilla.fly.token=" + LocalFlyProcess.TOKEN
        })
public abstract class ProvisionerItBase {

    public static final String OPERATOR_TOKEN = "provisioner-it-operator-token-0123456789abcdef";
    public static final String PROBE_KEY = "aXQtcHJvYmUta2V5LTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1";
    public static final String APP_PREFIX = "flotilla-team-";

    /** Per awaited outcome; the full-size fault run (200 teams) raises it with -Dflotilla.converge.seconds. */
    protected static final Duration CONVERGE = Duration.ofSeconds(Long.getLong("flotilla.converge.seconds", 60));

    protected static final CloudEventCodec EMPLOYABLE = new CloudEventCodec("employable/test");

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        var database = FlotillaTestProperties.register(registry, "provisioner_it");
        LocalFlyProcess fly = LocalFlyProcess.shared(Map.of());
        registry.add("flotilla.fly.api-url", fly::apiUrl);
        // the team database: the provisioner creates each team's role in it through the team server's SQL
        registry.add("flotilla.provisioner.team-server.database-url", database::jdbcUrl);
    }

    @Autowired
    protected JdbcClient jdbc;

    protected FlyApps apps;
    protected FlyMachines machines;
    protected FlySecrets secrets;
    protected FlyIps ips;
    protected TopicProbe outcomes;

    @BeforeEach
    void operatorClient() {
        var transport = LocalFlyProcess.operatorClient("personal");
        apps = new FlyApps(transport);
        machines = new FlyMachines(transport);
        secrets = new FlySecrets(transport);
        ips = new FlyIps(transport);
        outcomes = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.SERVER_LIFECYCLE_NAME);
    }

    @AfterEach
    void closeProbe() {
        outcomes.close();
    }

    protected static String newTeamId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static void publish(TeamLifecycleEvent... events) {
        TopicProbe.send(
                TestKafka.bootstrapServers(),
                java.util.Arrays.stream(events)
                        .map(event -> CloudEventCodec.toRecord(
                                Topics.TEAM_LIFECYCLE, EMPLOYABLE.envelope(Topics.TEAM_LIFECYCLE, event)))
                        .toList());
    }

    /** Waits for {@code count} outcome events of one type for one team and decodes them. */
    @SuppressWarnings("unchecked")
    protected <E extends ServerLifecycleEvent> List<E> awaitOutcome(String teamId, String type, int count) {
        try {
            outcomes.await(record -> isFor(record, teamId, type), count, CONVERGE);
        } catch (AssertionError e) {
            var seen = outcomes.drain(record -> true, Duration.ZERO).stream()
                    .map(record ->
                            record.key() + " " + CloudEventCodec.header(record.headers(), CloudEventHeaders.TYPE))
                    .toList();
            throw new AssertionError(e.getMessage() + "; all seen: " + seen);
        }
        return outcomes.await(record -> isFor(record, teamId, type), count, CONVERGE).stream()
                .map(record -> (E) ((EventEnvelope<ServerLifecycleEvent>) CloudEventCodec.decode(record)).data())
                .toList();
    }

    /** Everything of one type for one team published so far, after a quiet period. */
    @SuppressWarnings("unchecked")
    protected <E extends ServerLifecycleEvent> List<E> outcomesSoFar(String teamId, String type, Duration quiet) {
        return outcomes.drain(record -> isFor(record, teamId, type), quiet).stream()
                .map(record -> (E) ((EventEnvelope<ServerLifecycleEvent>) CloudEventCodec.decode(record)).data())
                .toList();
    }

    private static boolean isFor(ConsumerRecord<String, byte[]> record, String teamId, String type) {
        return teamId.equals(record.key())
                && type.equals(CloudEventCodec.header(record.headers(), CloudEventHeaders.TYPE)
                        .orElse(null));
    }

    protected static Instant now() {
        return Instant.now();
    }
}
