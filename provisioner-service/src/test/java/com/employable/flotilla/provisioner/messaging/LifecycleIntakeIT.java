package com.employable.flotilla.provisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.common.events.team.TeamLifecycleEvent;
import com.employable.flotilla.common.events.team.TeamPlanChanged;
import com.employable.flotilla.common.kafka.DeadLetters;
import com.employable.flotilla.common.kafka.RetryMetricsConfiguration;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.provisioner.ownership.TeamOwnership;
import com.employable.flotilla.provisioner.support.ProvisionerItBase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The lifecycle listener records a poll's batch in one transaction and keeps the service's failure conventions per
 * record: each batch here waits on the topic while the listener is stopped, so one poll gets it whole.
 */
class LifecycleIntakeIT extends ProvisionerItBase {

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    KafkaOperations<?, ?> kafka;

    @Autowired
    MeterRegistry meters;

    @Test
    void badRecordsAmongValidOnesAreDeadLetteredAloneWithTheirReasonsAndTheOthersRecordedInOrder() {
        String first = newTeamId("valid");
        String second = newTeamId("valid");
        String third = newTeamId("valid");
        String malformed = newTeamId("malformed");
        String nowhere = newTeamId("nowhere");
        String tombstone = newTeamId("tombstone");
        try (TopicProbe dlt = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.TEAM_LIFECYCLE_NAME + "-dlt")) {
            whileStopped(() -> TopicProbe.send(
                    TestKafka.bootstrapServers(),
                    List.of(
                            record(new TeamCreated(first, 1, first, "starter", "iad", now())),
                            record(new TeamCreated(second, 1, second, "starter", "iad", now())),
                            withValue(
                                    record(new TeamCreated(malformed, 1, "Bad", "starter", "iad", now())),
                                    "{\"teamId\":"),
                            record(new TeamPlanChanged(first, 2, "team", now())),
                            tombstone(record(new TeamCreated(tombstone, 1, "Gone", "starter", "iad", now()))),
                            withValue(
                                    record(new TeamCreated(nowhere, 1, "Nowhere", "starter", "fra", now())),
                                    "{\"teamId\":\"" + nowhere + "\",\"revision\":1,\"name\":\"Nowhere\","
                                            + "\"plan\":\"starter\",\"region\":\"xyz\",\"occurredAt\":\""
                                            + now() + "\"}"),
                            record(new TeamCreated(third, 1, third, "starter", "iad", now())))));

            await().atMost(CONVERGE)
                    .untilAsserted(
                            () -> assertThat(recorded(first, second, third)).isEqualTo(3));
            dlt.await(record -> Set.of(malformed, nowhere, tombstone).contains(record.key()), 3, CONVERGE);
            List<ConsumerRecord<String, byte[]>> dead = dlt.drain(
                    record -> Set.of(first, second, third, malformed, nowhere, tombstone)
                            .contains(record.key()),
                    Duration.ofSeconds(2));
            assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(malformed, nowhere, tombstone);
            assertThat(reason(dead, tombstone)).contains("value is empty");
            assertThat(reason(dead, malformed))
                    .startsWith("InvalidEventException")
                    .doesNotContain("Listener method")
                    .doesNotContain("batch");
            assertThat(reason(dead, nowhere)).contains("region").contains("xyz");
        }
        assertThat(recorded(malformed, nowhere)).isZero();
        // the plan change came after the create in the same batch: recorded after it
        assertThat(jdbc.sql("select revision || ' ' || plan from team where team_id = ?")
                        .param(first)
                        .query(String.class)
                        .single())
                .isEqualTo("2 team");
    }

    @Test
    void aDatabaseFailureRecordsNothingOfTheBatchAndRetriesItWholeUntilTheDatabaseTakesIt() {
        int partitions = kafka.partitionsFor(Topics.TEAM_LIFECYCLE_NAME).size();
        String failing = newTeamId("dbfail");
        // one partition, so one poll holds all three in this order
        String before = samePartition(failing, partitions, "before");
        String after = samePartition(failing, partitions, "after");
        jdbc.sql("""
                create or replace function fail_insert_for_test() returns trigger language plpgsql as $$
                begin
                    if new.team_id = '%s' then raise exception 'the database refuses %%', new.team_id; end if;
                    return new;
                end $$""".formatted(failing)).update();
        jdbc.sql("create trigger fail_insert_for_test before insert on team for each row "
                        + "execute function fail_insert_for_test()")
                .update();
        try (TopicProbe dlt = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.TEAM_LIFECYCLE_NAME + "-dlt")) {
            double retriesBefore = retries();
            whileStopped(() -> TopicProbe.send(
                    TestKafka.bootstrapServers(),
                    List.of(
                            record(new TeamCreated(before, 1, before, "starter", "iad", now())),
                            record(new TeamCreated(failing, 1, failing, "starter", "iad", now())),
                            record(new TeamCreated(after, 1, after, "starter", "iad", now())))));

            await().atMost(CONVERGE).until(() -> retries() >= retriesBefore + 2);
            assertThat(recorded(before, failing, after))
                    .as("nothing of a batch the database failed is committed")
                    .isZero();

            jdbc.sql("drop trigger fail_insert_for_test on team").update();
            await().atMost(CONVERGE)
                    .untilAsserted(
                            () -> assertThat(recorded(before, failing, after)).isEqualTo(3));
            assertThat(dlt.drain(
                            record -> Set.of(before, failing, after).contains(record.key()), Duration.ofSeconds(1)))
                    .as("an infrastructure failure is never dead-lettered")
                    .isEmpty();
        } finally {
            jdbc.sql("drop trigger if exists fail_insert_for_test on team").update();
            jdbc.sql("drop function if exists fail_insert_for_test()").update();
        }
    }

    private void whileStopped(Runnable publish) {
        MessageListenerContainer lifecycle = listeners.getListenerContainer("provisioner-team-lifecycle");
        lifecycle.stop();
        try {
            publish.run();
        } finally {
            lifecycle.start();
        }
    }

    private double retries() {
        Counter counter = meters.find(RetryMetricsConfiguration.RETRIES)
                .tag("topic", Topics.TEAM_LIFECYCLE_NAME)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static String samePartition(String team, int partitions, String prefix) {
        int partition = TeamOwnership.partitionOf(team, partitions);
        while (true) {
            String candidate = newTeamId(prefix);
            if (TeamOwnership.partitionOf(candidate, partitions) == partition) {
                return candidate;
            }
        }
    }

    private int recorded(String... teams) {
        return jdbc.sql("select count(*) from team where team_id = any(?)")
                .param(teams)
                .query(Integer.class)
                .single();
    }

    private static String reason(List<ConsumerRecord<String, byte[]>> dead, String team) {
        ConsumerRecord<String, byte[]> record = dead.stream()
                .filter(candidate -> team.equals(candidate.key()))
                .findFirst()
                .orElseThrow();
        return new String(record.headers().lastHeader(DeadLetters.REASON_HEADER).value(), StandardCharsets.UTF_8);
    }

    private static ProducerRecord<String, byte[]> record(TeamLifecycleEvent event) {
        return CloudEventCodec.toRecord(Topics.TEAM_LIFECYCLE, EMPLOYABLE.envelope(Topics.TEAM_LIFECYCLE, event));
    }

    /** employable's record without a value (its headers kept): a tombstone, which carries no lifecycle event. */
    private static ProducerRecord<String, byte[]> tombstone(ProducerRecord<String, byte[]> valid) {
        return new ProducerRecord<>(valid.topic(), null, valid.key(), null, valid.headers());
    }

    /** employable's record with other bytes: no contract record can hold them. */
    private static ProducerRecord<String, byte[]> withValue(ProducerRecord<String, byte[]> valid, String value) {
        return new ProducerRecord<>(
                valid.topic(), null, valid.key(), value.getBytes(StandardCharsets.UTF_8), valid.headers());
    }
}
