package com.employable.flotilla.registry.discovery;

import static com.employable.flotilla.registry.discovery.ServerEvents.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.CloudEventHeaders;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.TeamEvent;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.health.HealthEvent;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.registry.RegistryEntry;
import com.employable.flotilla.common.events.registry.RegistryEvent;
import com.employable.flotilla.common.events.registry.ServerStatus;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.common.idempotency.AppliedEvents;
import com.employable.flotilla.common.kafka.DeadLetters;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.registry.support.Publish;
import com.employable.flotilla.registry.support.RegistryIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The discovery table fed through a real broker: the same history delivered in order, reversed, and shuffled with
 * duplicates (same {@code ce_id}) and replays (new {@code ce_id}) gives the same table and the same latest entry on
 * the compacted topic; a deprovisioned team ends in a tombstone; bad records go to the dead-letter topic.
 */
class DiscoveryIT extends RegistryIntegrationTest {

    private static final String PROTOCOL = "2025-11-25";

    @Autowired
    ServerDirectory directory;

    @Autowired
    AppliedEvents appliedEvents;

    @Test
    void anyDeliveryOrderWithDuplicatesAndReplaysGivesTheSameTableAndTopic() {
        String inOrder = newTeam("in-order");
        String reversed = newTeam("reversed");
        String shuffled = newTeam("shuffled");
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        records.addAll(records(history(inOrder)));
        List<ProducerRecord<String, byte[]>> backwards = new ArrayList<>(records(history(reversed)));
        Collections.reverse(backwards);
        records.addAll(backwards);
        records.addAll(shuffledWithRepeats(records(history(shuffled)), new Random(42)));

        Publish.all(records);

        Set<String> ceIds = records.stream().map(DiscoveryIT::ceId).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(60)).until(() -> ceIds.stream().allMatch(this::applied));
        for (String team : List.of(inOrder, reversed, shuffled)) {
            ServerView expected = replayInMemory(history(team));
            RegisteredServer registered = directory.find(team).orElseThrow();
            assertThat(registered.view()).as(team).isEqualTo(expected);
            assertThat(registered.view().status()).isEqualTo(ServerStatus.DEGRADED);
            assertThat(latestEntry(team, registered.version()))
                    .isEqualTo(expected.toEntry(registered.version(), registered.updatedAt()));
        }
    }

    @Test
    void aDeprovisionedTeamIsRemovedAndTombstonedOnTheCompactedTopic() {
        String team = newTeam("gone");
        var events = new ServerEvents(team);
        Publish.events(events.provisioned(1, 1, "m1"), events.health("m1", HealthStatus.HEALTHY, 2));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> directory
                        .find(team)
                        .map(s -> s.view().status() == ServerStatus.READY)
                        .orElse(false));

        Publish.events(events.deprovisioned(2, 10));

        await().atMost(Duration.ofSeconds(30)).until(() -> directory.find(team).isEmpty());
        try (var registry = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.REGISTRY_NAME)) {
            var forTeam = registry.await(
                    record -> team.equals(record.key()) && record.value() == null, 1, Duration.ofSeconds(30));
            assertThat(CloudEventCodec.header(forTeam.get(0).headers(), CloudEventHeaders.TYPE))
                    .contains(RegistryEntry.TYPE);
        }
    }

    @Test
    void recordsThatAreNotEventsAreDeadLetteredWithTheirReasonAndTheRestIsApplied() {
        String team = newTeam("bad-input");
        var events = new ServerEvents(team);
        var broken = Publish.record(events.health("m1", HealthStatus.HEALTHY, 2), Instant.now());
        var missingMachine = new ProducerRecord<String, byte[]>(
                broken.topic(),
                null,
                team,
                ("{\"teamId\":\"" + team + "\",\"status\":\"healthy\",\"checkedAt\":\"2026-11-24T09:02:00Z\","
                                + "\"consecutiveFailures\":0}")
                        .getBytes(StandardCharsets.UTF_8),
                broken.headers());

        Publish.all(List.of(
                Publish.record(events.provisioned(1, 1, "m1"), Instant.now()),
                missingMachine,
                Publish.record(events.health("m1", HealthStatus.HEALTHY, 3), Instant.now())));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> directory
                        .find(team)
                        .map(s -> s.view().status() == ServerStatus.READY)
                        .orElse(false));
        try (var dlt = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.HEALTH.deadLetterTopic())) {
            var dead = dlt.await(record -> team.equals(record.key()), 1, Duration.ofSeconds(30))
                    .get(0);
            assertThat(new String(
                            dead.headers().lastHeader(DeadLetters.REASON_HEADER).value(), StandardCharsets.UTF_8))
                    .contains("machineId");
        }
    }

    /** A team's history: created, a failed attempt, provisioned, suspended, resumed, resized, one machine failing. */
    static List<Delivery> history(String team) {
        var e = new ServerEvents(team);
        return List.of(
                new Delivery(e.machine("m1", null, "created", 1), at(1)),
                new Delivery(e.failed(1, true, 1), at(2)),
                new Delivery(e.machine("m1", "created", "started", 3), at(3)),
                new Delivery(e.provisioned(1, 4, "m1"), at(4)),
                new Delivery(e.health("m1", HealthStatus.HEALTHY, 5), at(5)),
                new Delivery(e.suspended(2, 10), at(10)),
                new Delivery(e.machine("m1", "started", "stopped", 10), at(10)),
                new Delivery(e.resumed(3, 20), at(20)),
                new Delivery(e.machine("m1", "stopped", "started", 20), at(20)),
                new Delivery(e.machine("m3", null, "started", 29), at(29)),
                new Delivery(e.machine("m4", null, "started", 29), at(29)),
                new Delivery(e.updated(4, 30, "m3", "m4"), at(30)),
                new Delivery(e.machine("m1", "started", "destroyed", 31), at(31)),
                new Delivery(e.health("m3", HealthStatus.HEALTHY, 32), at(32)),
                new Delivery(e.health("m4", HealthStatus.HEALTHY, 32), at(32)),
                new Delivery(e.health("m4", HealthStatus.UNHEALTHY, 40), at(40)));
    }

    static ServerView replayInMemory(List<Delivery> history) {
        TeamServer state = TeamServer.empty(((TeamEvent) history.get(0).event()).teamId());
        for (Delivery delivery : history) {
            state = delivery.event() instanceof HealthEvent health
                    ? state.apply(health).state()
                    : state.apply((ServerLifecycleEvent) delivery.event(), delivery.ceTime())
                            .state();
        }
        return state.view(PROTOCOL, com.employable.flotilla.registry.support.TeamFront.addresses())
                .orElseThrow();
    }

    static List<ProducerRecord<String, byte[]>> records(List<Delivery> history) {
        return history.stream()
                .map(d -> Publish.record((TeamEvent) d.event(), d.ceTime()))
                .toList();
    }

    /** Shuffled, with some records sent twice (a redelivery) and some events sent again under a new id (a replay). */
    static List<ProducerRecord<String, byte[]>> shuffledWithRepeats(
            List<ProducerRecord<String, byte[]>> records, Random random) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(records);
        for (int i = 0; i < 4; i++) {
            out.add(records.get(random.nextInt(records.size())));
            var replayed = records.get(random.nextInt(records.size()));
            var copy = new ProducerRecord<>(replayed.topic(), null, replayed.key(), replayed.value());
            replayed.headers().forEach(h -> copy.headers().add(h.key(), h.value()));
            copy.headers().remove(CloudEventHeaders.ID);
            copy.headers().add(CloudEventHeaders.ID, ("replay-" + i + "-" + random.nextLong()).getBytes());
            out.add(copy);
        }
        Collections.shuffle(out, random);
        return out;
    }

    private boolean applied(String ceId) {
        return appliedEvents.wasApplied(DiscoveryService.SERVER_LIFECYCLE_CONSUMER, ceId)
                || appliedEvents.wasApplied(DiscoveryService.HEALTH_CONSUMER, ceId);
    }

    private static RegistryEntry latestEntry(String team, long version) {
        try (var registry = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.REGISTRY_NAME)) {
            ConsumerRecord<String, byte[]> record = registry.await(
                            r -> team.equals(r.key()) && r.value() != null && entry(r).version() == version,
                            1,
                            Duration.ofSeconds(30))
                    .get(0);
            return entry(record);
        }
    }

    private static RegistryEntry entry(ConsumerRecord<String, byte[]> record) {
        EventEnvelope<RegistryEvent> envelope =
                CloudEventCodec.decode(Topics.REGISTRY, record.key(), record.headers(), record.value());
        return (RegistryEntry) envelope.data();
    }

    private static String ceId(ProducerRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8);
    }

    /** An event with the {@code ce_time} it is published with. */
    record Delivery(Object event, Instant ceTime) {}
}
