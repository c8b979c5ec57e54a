package com.employable.flotilla.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.billing.metering.MeteringService;
import com.employable.flotilla.billing.support.Operator;
import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.CloudEventHeaders;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.cloudevents.EventJson;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.billing.BillingEvent;
import com.employable.flotilla.common.events.billing.BudgetExceeded;
import com.employable.flotilla.common.events.billing.UsageAdjusted;
import com.employable.flotilla.common.events.billing.UsageRecorded;
import com.employable.flotilla.common.events.server.Guest;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.common.kafka.DeadLetters;
import com.employable.flotilla.common.testsupport.FlotillaTestProperties;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** From machine.state-changed on the real broker to finance's topic and API, on a real PostgreSQL. */
// every context joins the same consumer groups (the listener ids): none may outlive its class and take partitions
@DirtiesContext
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "flotilla.billing.close-interval=300ms",
            "flotilla.billing.close-grace=1m",
            "flotilla.billing.budgets.team=0.001",
            Operator.TOKEN_PROPERTY
        })
class MeteringIT {

    private static final CloudEventCodec PROVISIONER = new CloudEventCodec("flotilla/provisioner");
    private static final CloudEventCodec EMPLOYABLE = new CloudEventCodec("employable/test");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        FlotillaTestProperties.register(registry, "billing_it");
    }

    @LocalServerPort
    int port;

    @Autowired
    MeteringService metering;

    private static ProducerRecord<String, byte[]> state(
            String team, String machine, String from, String to, Instant at, int cpus, int memoryMb) {
        var event = new MachineStateChanged(
                team, "flotilla-team-" + team, machine, "iad", new Guest("shared", cpus, memoryMb), 1, from, to, at);
        return CloudEventCodec.toRecord(Topics.SERVER_LIFECYCLE, PROVISIONER.envelope(Topics.SERVER_LIFECYCLE, event));
    }

    @SuppressWarnings("unchecked")
    private static <E extends BillingEvent> List<E> billing(TopicProbe probe, String team, String type, int count) {
        return probe.await(record -> isFor(record, team, type), count, Duration.ofSeconds(60)).stream()
                .map(record -> (E) ((EventEnvelope<BillingEvent>) CloudEventCodec.decode(record)).data())
                .toList();
    }

    private static boolean isFor(ConsumerRecord<String, byte[]> record, String team, String type) {
        return team.equals(record.key())
                && type.equals(CloudEventCodec.header(record.headers(), CloudEventHeaders.TYPE)
                        .orElse(null));
    }

    @Test
    void closedHoursArePublishedOnceAndLateChangesAdjustThem() throws Exception {
        String team = "meter-" + UUID.randomUUID().toString().substring(0, 8);
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
        var started = state(team, "m1", null, "started", hour.plusSeconds(600), 1, 512);
        var stopped = state(team, "m1", "started", "stopped", hour.plusSeconds(2400), 1, 512);
        var destroyed = state(team, "m1", "stopped", "destroyed", hour.plusSeconds(3000), 1, 512);
        TopicProbe.send(
                TestKafka.bootstrapServers(),
                List.of(
                        CloudEventCodec.toRecord(
                                Topics.TEAM_LIFECYCLE,
                                EMPLOYABLE.envelope(
                                        Topics.TEAM_LIFECYCLE, new TeamCreated(team, 1, "Meter", "team", "iad", hour))),
                        destroyed,
                        started,
                        stopped,
                        started,
                        stopped));

        try (var probe = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.BILLING_USAGE_NAME)) {
            UsageRecorded recorded = MeteringIT.<UsageRecorded>billing(probe, team, UsageRecorded.TYPE, 1)
                    .get(0);
            assertThat(recorded.usageId()).isEqualTo(MeteringService.usageId(team, hour));
            assertThat(recorded.periodStart()).isEqualTo(hour);
            assertThat(recorded.periodEnd()).isEqualTo(hour.plusSeconds(3600));
            // 30 min running at shared-cpu-1x/512 MB, then 10 min stopped paying 1 GB of rootfs, then nothing
            assertThat(recorded.lines())
                    .extracting(line -> line.kind() + " " + line.quantity())
                    .containsExactlyInAnyOrder("compute 1800", "rootfs 600");
            assertThat(recorded.total())
                    .isEqualByComparingTo(recorded.lines().stream()
                            .map(line -> line.amount())
                            .reduce(BigDecimal.ZERO, BigDecimal::add));
            assertThat(recorded.total()).isEqualByComparingTo("0.002223");

            // the provisioner's report of a restart at :45 arrives after the hour closed
            TopicProbe.send(
                    TestKafka.bootstrapServers(),
                    List.of(state(team, "m1", "stopped", "started", hour.plusSeconds(2700), 1, 512)));
            UsageAdjusted adjusted = MeteringIT.<UsageAdjusted>billing(probe, team, UsageAdjusted.TYPE, 1)
                    .get(0);
            assertThat(adjusted.usageId()).isEqualTo(recorded.usageId());
            assertThat(adjusted.total()).isPositive();
            assertThat(adjusted.lines())
                    .extracting(line -> line.kind() + " " + line.quantity())
                    .containsExactlyInAnyOrder("compute 300", "rootfs -300");

            BudgetExceeded budget = MeteringIT.<BudgetExceeded>billing(probe, team, BudgetExceeded.TYPE, 1)
                    .get(0);
            assertThat(budget.plan()).isEqualTo("team");

            // duplicates and replays change nothing
            TopicProbe.send(TestKafka.bootstrapServers(), List.of(started, stopped, destroyed));
            List<ConsumerRecord<String, byte[]>> all =
                    probe.drain(record -> team.equals(record.key()), Duration.ofSeconds(3));
            assertThat(all)
                    .filteredOn(record -> isFor(record, team, UsageRecorded.TYPE))
                    .hasSize(1);
            assertThat(all)
                    .filteredOn(record -> isFor(record, team, UsageAdjusted.TYPE))
                    .hasSize(1);
        }

        JsonNode costs = get("/v1/teams/" + team + "/costs");
        assertThat(new BigDecimal(costs.path("totalUsd").asString())).isPositive();
        assertThat(costs.path("plan").asString()).isEqualTo("team");
        String day = LocalDate.ofInstant(hour, ZoneOffset.UTC).toString();
        HttpResponse<String> csv = HTTP.send(
                Operator.get(
                        port,
                        "/v1/usage?team=" + team + "&from=" + day + "&to="
                                + LocalDate.parse(day).plusDays(1) + "&format=csv"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body()).startsWith("team_id,period,plan,amount_usd\n").contains(team + "," + day + ",team,");
    }

    @Test
    void aMalformedRecordInABatchIsDeadLetteredAndTheRestIsMetered() {
        String team = "dlt-" + UUID.randomUUID().toString().substring(0, 8);
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        var garbage = new ProducerRecord<String, byte[]>(
                Topics.SERVER_LIFECYCLE_NAME,
                team,
                "{not a cloud event".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (var usage = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.BILLING_USAGE_NAME);
                var deadLetters = TopicProbe.reading(
                        TestKafka.bootstrapServers(), Topics.SERVER_LIFECYCLE_NAME + DeadLetters.SUFFIX)) {
            TopicProbe.send(
                    TestKafka.bootstrapServers(),
                    List.of(
                            state(team, "m1", null, "started", hour, 1, 256),
                            garbage,
                            state(team, "m1", "started", "destroyed", hour.plusSeconds(60), 1, 256)));

            ConsumerRecord<String, byte[]> dead = deadLetters
                    .await(record -> team.equals(record.key()), 1, Duration.ofSeconds(60))
                    .get(0);
            assertThat(new String(dead.value(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("{not a cloud event");
            assertThat(CloudEventCodec.header(dead.headers(), DeadLetters.REASON_HEADER)
                            .orElse(""))
                    .contains("InvalidEventException");

            // the hour may close between the two states (then an adjustment follows): what counts is the sum
            MeteringIT.<UsageRecorded>billing(usage, team, UsageRecorded.TYPE, 1);
            BigDecimal computeSeconds = usage.drain(record -> team.equals(record.key()), Duration.ofSeconds(3)).stream()
                    .map(record -> CloudEventCodec.decode(record).data())
                    .flatMap(event -> event instanceof UsageRecorded recorded
                            ? recorded.lines().stream()
                            : event instanceof UsageAdjusted adjusted ? adjusted.lines().stream() : Stream.empty())
                    .filter(line -> line.kind().equals("compute"))
                    .map(line -> line.quantity())
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(computeSeconds).isEqualByComparingTo("60");
        }
    }

    @Test
    void aStateChangeFromAnotherProducerIsDeadLetteredWithTheReasonAndNotMetered() {
        String team = "forged-" + UUID.randomUUID().toString().substring(0, 8);
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        // a well-formed machine.state-changed, but published as the registry: only the provisioner reports machines
        var event = new MachineStateChanged(
                team, "flotilla-team-" + team, "m1", "iad", new Guest("shared", 1, 256), 1, null, "started", hour);
        var forged = CloudEventCodec.toRecord(
                Topics.SERVER_LIFECYCLE_NAME,
                team,
                UUID.randomUUID().toString(),
                MachineStateChanged.TYPE,
                "flotilla/registry",
                hour,
                EventJson.MAPPER.writeValueAsBytes(event));
        try (var deadLetters =
                TopicProbe.reading(TestKafka.bootstrapServers(), Topics.SERVER_LIFECYCLE_NAME + DeadLetters.SUFFIX)) {
            TopicProbe.send(TestKafka.bootstrapServers(), List.of(forged));

            ConsumerRecord<String, byte[]> dead = deadLetters
                    .await(record -> team.equals(record.key()), 1, Duration.ofSeconds(60))
                    .get(0);
            assertThat(CloudEventCodec.header(dead.headers(), DeadLetters.REASON_HEADER)
                            .orElse(""))
                    .isEqualTo("InvalidEventException: ce_source 'flotilla/registry' is not the producer of "
                            + "flotilla.server.lifecycle.v1 (flotilla/provisioner)");
        }
        assertThat(metering.costSince(team, Instant.EPOCH)).isEqualByComparingTo("0");
    }

    @Test
    void badQueriesGetProblemDetails() throws Exception {
        HttpResponse<String> bad = HTTP.send(
                Operator.get(port, "/v1/usage?from=yesterday&to=today"), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        assertThat(bad.body()).contains("YYYY-MM-DD");
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(Operator.get(port, path), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return EventJson.MAPPER.readTree(response.body());
    }
}
