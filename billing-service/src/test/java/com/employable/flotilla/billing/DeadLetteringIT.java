package com.employable.flotilla.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.billing.support.MachineStates;
import com.employable.flotilla.billing.support.MachineStates.Machine;
import com.employable.flotilla.billing.support.Operator;
import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.CloudEventHeaders;
import com.employable.flotilla.common.cloudevents.EventJson;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.Guest;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.common.events.team.TeamPlanChanged;
import com.employable.flotilla.common.kafka.DeadLetters;
import com.employable.flotilla.common.kafka.RetryMetricsConfiguration;
import com.employable.flotilla.common.testsupport.FlotillaTestProperties;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 19's findings about billing, on the real broker and PostgreSQL: only the failing record of a poll is
 * dead-lettered (with a reason naming the field), the records before and after it are metered, a database error holds
 * the poll and dead-letters nothing, and a plan outside configuration is dead-lettered naming {@code plan}.
 */
// every context joins the same consumer groups (the listener ids): none may outlive its class and take partitions
@DirtiesContext
@SpringBootTest(
        properties = {
            "flotilla.kafka.retry.initial-interval=50ms",
            "flotilla.kafka.retry.max-interval=500ms",
            Operator.TOKEN_PROPERTY
        })
class DeadLetteringIT {

    private static final String MACHINE_STATES_DLT = Topics.SERVER_LIFECYCLE_NAME + DeadLetters.SUFFIX;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        FlotillaTestProperties.register(registry, "billing_dlt_it");
    }

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);

    @Test
    void eachViolationInAPollIsDeadLetteredAloneNamingItsFieldAndTheRestIsMetered() {
        String team = "batch-" + run;
        var own = new Machine(team, "flotilla-team-" + team, "m1", "fra", new Guest("shared", 1, 256), 1);
        var pooled = new Machine(team, "flotilla-pool-" + run + "cafe", "p1", "fra", new Guest("shared", 1, 256), 1);
        Map<String, String> violations = new LinkedHashMap<>();
        List<ProducerRecord<String, byte[]>> poll = new ArrayList<>();
        poll.add(MachineStates.record(own.change(null, "started", hour)));
        poll.add(violation(violations, raw(team, "region", "fr\u0007a"), "region must not contain control characters"));
        poll.add(MachineStates.record(pooled.change(null, "started", hour)));
        poll.add(violation(violations, raw(team, "region", "ia\u0000d"), "U+0000"));
        String longId = String.join(
                "", java.util.Collections.nCopies(80, UUID.randomUUID().toString()));
        poll.add(violation(
                violations,
                record(
                        team,
                        longId,
                        EventJson.MAPPER.writeValueAsBytes(
                                own.change(null, "started", hour).data())),
                "ce_id is 2880 characters long"));
        poll.add(violation(violations, raw(team, "app", "flotilla-team-someone-else"), "app 'flotilla-team-someone"));
        poll.add(violation(violations, raw(team, "app", "flotilla-billing-service"), "app 'flotilla-billing-service'"));
        poll.add(violation(violations, raw(team, "app", "flotilla-pool-x!"), "app 'flotilla-pool-x!'"));
        poll.add(violation(violations, raw(team, "to", "hibernating"), "to 'hibernating'"));
        poll.add(violation(violations, raw(team, "guest.cpuKind", "gpu"), "guest.cpuKind 'gpu'"));
        poll.add(violation(violations, raw(team, "region", "mars"), "region 'mars'"));
        poll.add(MachineStates.record(own.change("started", "stopped", hour.plusSeconds(600))));

        try (var deadLetters = TopicProbe.reading(TestKafka.bootstrapServers(), MACHINE_STATES_DLT)) {
            inOnePoll(poll);

            List<ConsumerRecord<String, byte[]>> dead =
                    deadLetters.await(r -> team.equals(r.key()), violations.size(), Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30)).until(() -> stored(team) == 3);
            dead = deadLetters.drain(r -> team.equals(r.key()), Duration.ofSeconds(2));
            assertThat(dead)
                    .extracting(r -> header(r, CloudEventHeaders.ID))
                    .containsExactlyElementsOf(violations.keySet());
            for (ConsumerRecord<String, byte[]> record : dead) {
                assertThat(header(record, DeadLetters.REASON_HEADER))
                        .startsWith("InvalidEventException: ")
                        .contains(violations.get(header(record, CloudEventHeaders.ID)));
            }
        }
    }

    @Test
    void aDatabaseErrorHoldsThePollUntilItEndsAndDeadLettersOnlyTheBadRecord() {
        String team = "outage-" + run;
        var machine = new Machine(team, "flotilla-team-" + team, "m1", "iad", new Guest("shared", 1, 256), 1);
        var garbage = new ProducerRecord<String, byte[]>(
                Topics.SERVER_LIFECYCLE_NAME, team, "{not a cloud event".getBytes(StandardCharsets.UTF_8));
        Counter retries = meters.counter(RetryMetricsConfiguration.RETRIES, "topic", Topics.SERVER_LIFECYCLE_NAME);
        double retriesBefore = retries.count();

        try (var deadLetters = TopicProbe.reading(TestKafka.bootstrapServers(), MACHINE_STATES_DLT)) {
            jdbc.sql("alter table machine_state rename to machine_state_away").update();
            try {
                inOnePoll(List.of(
                        MachineStates.record(machine.change(null, "started", hour)),
                        garbage,
                        MachineStates.record(machine.change("started", "stopped", hour.plusSeconds(60)))));
                await().atMost(Duration.ofSeconds(30)).until(() -> retries.count() >= retriesBefore + 5);
                assertThat(deadLetters.drain(r -> team.equals(r.key()), Duration.ofSeconds(1)))
                        .as("nothing is dead-lettered while the database fails")
                        .isEmpty();
            } finally {
                jdbc.sql("alter table machine_state_away rename to machine_state")
                        .update();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> stored(team) == 2);
            List<ConsumerRecord<String, byte[]>> dead =
                    deadLetters.drain(r -> team.equals(r.key()), Duration.ofSeconds(2));
            assertThat(dead).hasSize(1);
            assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not a cloud event");
        }
    }

    @Test
    void aPlanOutsideConfigurationIsDeadLetteredNamingThePlan() {
        String team = "plan-" + run;
        var codec = new CloudEventCodec("employable");
        var created = codec.envelope(Topics.TEAM_LIFECYCLE, new TeamCreated(team, 1, "Plans", "platinum", "fra", hour));
        var changed = codec.envelope(Topics.TEAM_LIFECYCLE, new TeamPlanChanged(team, 2, "gold\u00e9", hour));
        var known = codec.envelope(Topics.TEAM_LIFECYCLE, new TeamPlanChanged(team, 3, "business", hour));
        try (var deadLetters =
                TopicProbe.reading(TestKafka.bootstrapServers(), Topics.TEAM_LIFECYCLE_NAME + DeadLetters.SUFFIX)) {
            TopicProbe.send(
                    TestKafka.bootstrapServers(),
                    List.of(
                            CloudEventCodec.toRecord(Topics.TEAM_LIFECYCLE, created),
                            CloudEventCodec.toRecord(Topics.TEAM_LIFECYCLE, changed),
                            CloudEventCodec.toRecord(Topics.TEAM_LIFECYCLE, known)));

            List<ConsumerRecord<String, byte[]>> dead =
                    deadLetters.await(r -> team.equals(r.key()), 2, Duration.ofSeconds(60));
            assertThat(dead)
                    .extracting(r -> header(r, DeadLetters.REASON_HEADER))
                    .containsExactly(
                            "InvalidEventException: plan 'platinum' is not a known plan [business, starter, team]",
                            "InvalidEventException: plan 'gold\u00e9' is not a known plan [business, starter, team]");
            // Spring Kafka's own header carries the same reason, not the listener method that threw
            assertThat(dead)
                    .extracting(r -> header(r, "kafka_dlt-exception-message"))
                    .containsExactly(
                            "InvalidEventException: plan 'platinum' is not a known plan [business, starter, team]",
                            "InvalidEventException: plan 'gold\u00e9' is not a known plan [business, starter, team]");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> jdbc.sql("select plan from team_plan where team_id = ?")
                            .param(team)
                            .query(String.class)
                            .optional()
                            .orElse("")
                            .equals("business"));
        }
    }

    /** Sends the records while the listener is paused, so it gets them in one poll. */
    private void inOnePoll(List<ProducerRecord<String, byte[]>> records) {
        MessageListenerContainer container = listeners.getListenerContainer("billing-server-lifecycle");
        container.pause();
        await().atMost(Duration.ofSeconds(30)).until(container::isContainerPaused);
        try {
            TopicProbe.send(TestKafka.bootstrapServers(), records);
        } finally {
            container.resume();
        }
    }

    private int stored(String team) {
        return jdbc.sql("select count(*) from machine_state where team_id = ?")
                .param(team)
                .query(Integer.class)
                .single();
    }

    private static ProducerRecord<String, byte[]> violation(
            Map<String, String> violations, ProducerRecord<String, byte[]> record, String reason) {
        violations.put(header(record), reason);
        return record;
    }

    /** A machine state with one field set to a value no MachineStateChanged would accept. */
    private ProducerRecord<String, byte[]> raw(String team, String field, String value) {
        var valid = new MachineStateChanged(
                team, "flotilla-team-" + team, "m2", "fra", new Guest("shared", 1, 256), 1, null, "started", hour);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = EventJson.MAPPER.convertValue(valid, Map.class);
        if (field.startsWith("guest.")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> guest = (Map<String, Object>) data.get("guest");
            guest.put(field.substring("guest.".length()), value);
        } else {
            data.put(field, value);
        }
        return record(team, UUID.randomUUID().toString(), EventJson.MAPPER.writeValueAsBytes(data));
    }

    private ProducerRecord<String, byte[]> record(String team, String eventId, byte[] data) {
        return CloudEventCodec.toRecord(
                Topics.SERVER_LIFECYCLE_NAME,
                team,
                eventId,
                MachineStateChanged.TYPE,
                "flotilla/provisioner",
                hour,
                data);
    }

    private static String header(ProducerRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return CloudEventCodec.header(record.headers(), name).orElse("");
    }
}
