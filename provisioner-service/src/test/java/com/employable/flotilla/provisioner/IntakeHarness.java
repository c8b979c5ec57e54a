package com.employable.flotilla.provisioner;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.common.testsupport.TestPostgres;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.provisioner.support.ProvisionerInstance;
import com.employable.flotilla.provisioner.team.ReconcileRequests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Intake of a burst of {@code team.created}, measured (a harness, not a test: its name keeps it out of every suite).
 * A backlog of {@code flotilla.harness.records} (2,000) valid events waits on a fresh in-JVM broker; the lifecycle
 * listener is started and timed until every team has its row. Only intake is measured: reconcile requests are
 * dropped (a no-op {@link ReconcileRequests}), the resync never runs, the warm pool is off. In one run, the baseline
 * (one record per poll, so one transaction and one offset commit per record, as the record listener did) and the
 * current settings. Report: target/harness/intake.md.
 *
 * <p>Run: {@code ./mvnw -o -q test -pl provisioner-service -Dtest=IntakeHarness -Dflotilla.harness=intake
 * -Dsurefire.failIfNoSpecifiedTests=false} (FLOTILLA_TEST_JDBC_URL as for the tests).
 */
@EnabledIfSystemProperty(named = "flotilla.harness", matches = "intake")
class IntakeHarness {

    private static final CloudEventCodec EMPLOYABLE = new CloudEventCodec("employable/harness");
    private static final Duration BOUND = Duration.ofMinutes(5);

    @Test
    void intake() throws IOException {
        int records = Integer.getInteger("flotilla.harness.records", 2000);
        var variants = new LinkedHashMap<String, String>();
        variants.put("baseline: one record per poll (a transaction and an offset commit per record)", "1");
        variants.put("now: a poll's batch per transaction (max.poll.records 500)", "500");
        var report = new StringBuilder("# Intake of a team.created burst\n\n")
                .append(records)
                .append(" valid team.created waiting on an in-JVM broker (12 partitions), reconcile a no-op, ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ")
                .append(Instant.now())
                .append("\n\n| variant | recorded in | records/s |\n|---|---|---|\n");
        var broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.afterPropertiesSet();
        try {
            for (var variant : variants.entrySet()) {
                report.append(measure(broker.getBrokersAsString(), records, variant.getKey(), variant.getValue()));
            }
        } finally {
            broker.destroy();
        }
        Path out = Path.of("target", "harness", "intake.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println(report);
    }

    private static String measure(String bootstrap, int records, String name, String maxPollRecords) {
        var database = TestPostgres.newDatabase("intake");
        try (ConfigurableApplicationContext provisioner = start(bootstrap, database, maxPollRecords)) {
            var jdbc = provisioner.getBean(JdbcClient.class);
            String prefix = "burst-" + UUID.randomUUID().toString().substring(0, 6) + "-";
            List<ProducerRecord<String, byte[]>> burst = new ArrayList<>(records);
            for (int i = 0; i < records; i++) {
                String team = prefix + i;
                burst.add(CloudEventCodec.toRecord(
                        Topics.TEAM_LIFECYCLE,
                        EMPLOYABLE.envelope(
                                Topics.TEAM_LIFECYCLE,
                                new TeamCreated(team, 1, team, "starter", "iad", Instant.now()))));
            }
            TopicProbe.send(bootstrap, burst);
            long start = System.nanoTime();
            provisioner.getBean(KafkaListenerEndpointRegistry.class).start();
            long deadline = start + BOUND.toNanos();
            while (count(jdbc, prefix) < records) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + count(jdbc, prefix) + " of " + records + " recorded");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return String.format("| %s | %.1f s | %.0f |%n", name, seconds, records / seconds);
        }
    }

    private static int count(JdbcClient jdbc, String prefix) {
        return jdbc.sql("select count(*) from team where team_id like ?")
                .param(prefix + "%")
                .query(Integer.class)
                .single();
    }

    private static ConfigurableApplicationContext start(
            String bootstrap, TestPostgres.TestDatabase database, String maxPollRecords) {
        Map<String, Object> properties = ProvisionerInstance.properties(
                database, "intake-" + UUID.randomUUID().toString().substring(0, 8));
        properties.put("spring.kafka.bootstrap-servers", bootstrap);
        properties.put("spring.kafka.consumer.group-id", "intake-" + UUID.randomUUID());
        // the lifecycle listener decides ownership here, as in production
        properties.remove("flotilla.provisioner.own-teams-by-partition");
        properties.put("spring.datasource.hikari.maximum-pool-size", "5");
        // nothing calls Fly while only intake runs: a closed loopback port
        properties.put("flotilla.fly.api-url", "http://127.0.0.1:9");
        properties.put("flotilla.fly.token", "intake-harness");
        properties.put("flotilla.provisioner.resync-interval", "1h");
        properties.put("flotilla.provisioner.observe-interval", "1h");
        properties.put("flotilla.provisioner.pool.enabled", "false");
        properties.put("flotilla.intake.max-poll-records", maxPollRecords);
        return ProvisionerInstance.run(properties, ProvisionerApplication.class, NoReconcile.class);
    }

    /** Intake only: the reconcile a recorded event asks for is dropped. */
    @Configuration(proxyBeanMethods = false)
    static class NoReconcile {
        @Bean
        @Primary
        ReconcileRequests noReconcile() {
            return (teamId, traceParent) -> {};
        }
    }
}
