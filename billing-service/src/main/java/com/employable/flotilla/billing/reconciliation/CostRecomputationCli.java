package com.employable.flotilla.billing.reconciliation;

import com.employable.flotilla.billing.metering.MachineStateRules;
import com.employable.flotilla.billing.pricing.PriceBooks;
import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.common.teams.TeamAddresses;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Recomputes every team's cost from {@code flotilla.server.lifecycle.v1} as it stands, for a harness that runs the
 * platform as processes (it needs only the broker):
 *
 * <pre>
 * java -cp billing-service/target/billing-service.jar \
 *   -Dloader.main=com.employable.flotilla.billing.reconciliation.CostRecomputationCli \
 *   org.springframework.boot.loader.launch.PropertiesLauncher --bootstrap localhost:9092 [--until 2026-11-30T12:00:00Z]
 * </pre>
 *
 * Prints one tab-separated line per team ({@code team_id compute_seconds asleep_seconds amount_usd}, the amount
 * exact) and the total. Records billing dead-letters (they break the contract or {@link MachineStateRules}) are left
 * out, as billing leaves them out; the team-address settings are the defaults.
 */
public final class CostRecomputationCli {

    private CostRecomputationCli() {}

    public static void main(String[] args) {
        String bootstrap = null;
        Instant until = Instant.now();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[i + 1];
                case "--until" -> until = Instant.parse(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (bootstrap == null) {
            System.err.println("usage: --bootstrap host:port [--until <RFC 3339 instant>]");
            System.exit(2);
        }
        PriceBooks books = PriceBooks.load();
        List<CostRecomputation.Observed> events =
                read(bootstrap, new MachineStateRules(TeamAddresses.defaults(), books));
        print(new CostRecomputation(books).recompute(events, until), System.out);
    }

    static void print(Map<String, CostRecomputation.TeamCost> teams, PrintStream out) {
        out.println("team_id\tcompute_seconds\tasleep_seconds\tamount_usd");
        teams.values()
                .forEach(team -> out.println(team.teamId() + "\t" + team.computeSeconds() + "\t" + team.asleepSeconds()
                        + "\t" + team.amount().toPlainString()));
        out.println("total\t\t\t" + CostRecomputation.total(teams).toPlainString());
    }

    /** Every machine state billing would meter, from the beginning of the topic to its end now. */
    public static List<CostRecomputation.Observed> read(String bootstrap, MachineStateRules rules) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "cost-recomputation-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<CostRecomputation.Observed> events = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SERVER_LIFECYCLE_NAME).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        EventEnvelope<ServerLifecycleEvent> envelope = CloudEventCodec.decode(
                                Topics.SERVER_LIFECYCLE, record.key(), record.headers(), record.value());
                        rules.check(envelope);
                        if (envelope.data() instanceof MachineStateChanged) {
                            events.add(CostRecomputation.Observed.of(envelope));
                        }
                    } catch (InvalidEventException deadLettered) {
                        // billing dead-letters it: it meters nothing
                    }
                }
            }
        }
        return events;
    }
}
