package com.employable.flotilla.billing.benchmark;

import com.employable.flotilla.billing.BillingApplication;
import com.employable.flotilla.billing.metering.MeteringService;
import com.employable.flotilla.billing.support.Operator;
import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.Guest;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Throughput harness (not a test): the billing service as it runs, on the in-JVM KRaft broker and a real PostgreSQL,
 * fed {@code machine.state-changed} events. An event counts once it is stored in {@code machine_state} (consumed,
 * decoded, de-duplicated, committed with its offset), which is the metering path; first a backlog the consumer
 * drains alone, then live traffic with one producer on the same cores. Hourly closing runs on its own schedule and
 * is timed separately.
 *
 * <p>Run: {@code ./mvnw -q -pl billing-service -am -Pbenchmark verify -DskipTests}; arguments: events, teams.
 */
public final class MeteringThroughputBenchmark {

    private MeteringThroughputBenchmark() {}

    public static void main(String[] args) {
        int status = 1;
        try {
            run(args);
            status = 0;
        } catch (Exception | AssertionError failure) {
            failure.printStackTrace();
        }
        // the in-JVM broker and the embedded database run on non-daemon threads
        System.exit(status);
    }

    private static void run(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int teams = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        String bootstrap = TestKafka.bootstrapServers();
        TestPostgres.TestDatabase database = TestPostgres.newDatabase("billing_benchmark");
        Instant origin = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(12, ChronoUnit.HOURS);

        try (Connection connection = database.connect();
                KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            // 1. a backlog (billing was down during a fleet resync): the consumer alone, at its own pace
            send(producer, records(events, teams, origin, 0));
            ConfigurableApplicationContext billing = new SpringApplicationBuilder(BillingApplication.class)
                    .run(
                            "--server.port=0",
                            "--management.server.port=0",
                            "--flotilla.operator.token=" + Operator.TOKEN,
                            "--spring.kafka.bootstrap-servers=" + bootstrap,
                            "--spring.datasource.url=" + database.jdbcUrl(),
                            "--spring.datasource.username=" + database.user(),
                            "--spring.datasource.password=" + database.password(),
                            "--flotilla.billing.close-interval=1h",
                            "--logging.level.root=WARN");
            try {
                long first;
                while ((first = count(connection, "machine_state")) == 0) {
                    Thread.sleep(10);
                }
                long backlogStarted = System.nanoTime();
                long stored = awaitStored(connection, events);
                double backlogSeconds = seconds(backlogStarted);

                // 2. live: one producer and the consumer share the two cores
                long liveStarted = System.nanoTime();
                send(producer, records(events, teams, origin, events / teams));
                double sendSeconds = seconds(liveStarted);
                long live = awaitStored(connection, 2L * events) - stored;
                double liveSeconds = seconds(liveStarted);

                long closeStarted = System.nanoTime();
                billing.getBean(MeteringService.class).closeDue();
                double closeSeconds = seconds(closeStarted);

                System.out.printf(
                        Locale.ROOT,
                        """
                        billing metering throughput, %d cores, machine.state-changed events for %d teams
                          backlog of %d: stored (metered) %d in %.1f s after the first  -> %,.0f events/s
                          live %d: producer done in %.1f s, all stored in %.1f s         -> %,.0f events/s
                          closing every team's hours: %.1f s for %d team-hours recorded and published
                        """,
                        Runtime.getRuntime().availableProcessors(),
                        teams,
                        events,
                        stored - first,
                        backlogSeconds,
                        (stored - first) / backlogSeconds,
                        events,
                        sendSeconds,
                        liveSeconds,
                        live / liveSeconds,
                        closeSeconds,
                        count(connection, "usage_hour"));
            } finally {
                billing.close();
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, List<ProducerRecord<String, byte[]>> records) {
        records.forEach(producer::send);
        producer.flush();
    }

    private static long awaitStored(Connection connection, long expected) throws Exception {
        long deadline = System.nanoTime() + 300_000_000_000L;
        long stored;
        while ((stored = count(connection, "machine_state")) < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + stored + " of " + expected + " events stored within 5 minutes");
            }
            Thread.sleep(20);
        }
        return stored;
    }

    /** Each team has two machines flipping between started and stopped once a minute, over past hours. */
    private static List<ProducerRecord<String, byte[]>> records(int events, int teams, Instant origin, int firstStep) {
        CloudEventCodec provisioner = new CloudEventCodec("flotilla/provisioner");
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            int team = i % teams;
            int step = firstStep + i / teams;
            String machine = "m" + (step % 2);
            boolean start = (step / 2) % 2 == 0;
            var event = new MachineStateChanged(
                    "bench-" + team,
                    "flotilla-team-bench-" + team,
                    machine,
                    "iad",
                    new Guest("shared", 1, 256),
                    1,
                    start ? "stopped" : "started",
                    start ? "started" : "stopped",
                    origin.plusSeconds(30L * step));
            records.add(CloudEventCodec.toRecord(
                    Topics.SERVER_LIFECYCLE, provisioner.envelope(Topics.SERVER_LIFECYCLE, event)));
        }
        return records;
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        var properties = new java.util.Properties();
        properties.put("bootstrap.servers", bootstrap);
        properties.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        properties.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        properties.put("linger.ms", "5");
        properties.put("batch.size", String.valueOf(256 * 1024));
        return new KafkaProducer<>(properties);
    }

    private static long count(Connection connection, String table) throws Exception {
        try (ResultSet rows = connection.createStatement().executeQuery("select count(*) from billing." + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
