package com.employable.flotilla.devstack.dlt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.kafka.DeadLetters;
import com.employable.flotilla.common.kafka.FlotillaKafkaProperties;
import com.employable.flotilla.common.testsupport.TestKafka;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;

/**
 * {@code dlt list | show | replay} on a real broker, against dead letters written by the platform's own error
 * handler (common's {@link DeadLetters}) in two consumer groups, as the provisioner and billing both consume team
 * events.
 */
class DltCommandTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String SOURCE = "dlt-test-" + RUN + ".v1";
    private static final String DLT = SOURCE + "-dlt";
    private static final String BROKEN = "broken-" + RUN;
    private static final String FINE = "fine-" + RUN;
    private static final String OTHER = "other-" + RUN;
    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    private static final String GROUPS_FAIL = "provisioner-test";
    private static final String ONE_GROUP_FAILS = "billing-test";

    private static final List<KafkaMessageListenerContainer<String, byte[]>> containers = new ArrayList<>();
    private static String brokenCeId;

    @BeforeAll
    static void deadLettersWrittenByThePlatformsErrorHandler() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(SOURCE, 3, (short) 1), new NewTopic(DLT, 3, (short) 1)))
                    .all()
                    .get();
        }
        for (String group : List.of(GROUPS_FAIL, ONE_GROUP_FAILS)) {
            containers.add(failingConsumer(group));
        }
        brokenCeId = UUID.randomUUID().toString();
        try (var producer = producer()) {
            producer.send(event(BROKEN, brokenCeId, "{\"teamId\":\"" + BROKEN + "\",\"apiToken\":\"" + JWT + "\"}"))
                    .get();
            producer.send(event(FINE, UUID.randomUUID().toString(), "{\"teamId\":\"" + FINE + "\"}"))
                    .get();
            producer.send(event(OTHER, UUID.randomUUID().toString(), "not json at all: token=hunter2hunter2"))
                    .get();
        }
        // BROKEN fails in both groups, OTHER in the first only, FINE in none
        await().atMost(Duration.ofSeconds(60)).until(() -> count(DLT) == 3);
        containers.forEach(KafkaMessageListenerContainer::stop);
    }

    @AfterAll
    static void stop() {
        containers.forEach(KafkaMessageListenerContainer::stop);
    }

    @Test
    void listShowsOneLinePerDeadLetterWithItsReasonFilteredByTopicTeamAndTime() {
        Run all = dlt("list", "--topic", SOURCE);
        assertThat(all.code()).isZero();
        assertThat(lines(all, BROKEN)).hasSize(2);
        assertThat(lines(all, OTHER)).hasSize(1);
        assertThat(all.out()).doesNotContain(FINE).contains("3 dead letters");
        String brokenLine = lines(all, BROKEN).get(0);
        assertThat(brokenLine)
                .contains(DLT, "com.example.thing.v1", brokenCeId)
                .contains("InvalidEventException: region 'mars' is not a Fly region")
                .containsAnyOf(GROUPS_FAIL, ONE_GROUP_FAILS)
                .doesNotContain(JWT);

        Run team = dlt("list", "--topic", DLT, "--team", OTHER);
        assertThat(lines(team, OTHER)).hasSize(1);
        assertThat(team.out()).doesNotContain(BROKEN);

        assertThat(dlt("list", "--topic", SOURCE, "--since", "1h").out()).contains("3 dead letters");
        assertThat(dlt("list", "--topic", SOURCE, "--until", "2000-01-01").out())
                .contains("0 dead letters");
        assertThat(dlt("list", "--topic", SOURCE, "--since", "2999-01-01T00:00:00Z")
                        .out())
                .contains("0 dead letters");
    }

    @Test
    void showPrintsOneRecordFullyWithSecretsRedacted() {
        String position = lines(dlt("list", "--topic", SOURCE, "--team", BROKEN), BROKEN)
                .get(0)
                .split("\\s+")[1];

        Run show = dlt("show", DLT, position);

        assertThat(show.code()).isZero();
        assertThat(show.out())
                .contains("ce_id: " + brokenCeId)
                .contains("authorization: [redacted]")
                .contains("x-session-token: [redacted]")
                .contains("kafka_dlt-original-topic: " + SOURCE)
                .containsPattern("kafka_dlt-original-partition: \\d+\\n")
                .contains("\"apiToken\" : \"[redacted]\"")
                .contains("\"teamId\" : \"" + BROKEN + "\"")
                .doesNotContain(JWT)
                .doesNotContain("s3cr3t-session");

        Run notJson = dlt(
                "show",
                DLT,
                lines(dlt("list", "--topic", SOURCE, "--team", OTHER), OTHER)
                        .get(0)
                        .split("\\s+")[1]);
        assertThat(notJson.out())
                .contains("value (not JSON")
                .contains("token=[redacted]")
                .doesNotContain("hunter2");
        assertThat(dlt("show", DLT, "0/999999").code()).isEqualTo(1);
    }

    @Test
    void replayRepublishesOncePerOriginalRecordWithTheOriginalHeadersAndCeId() {
        List<ConsumerRecord<String, byte[]>> before = read(SOURCE);
        ConsumerRecord<String, byte[]> original =
                before.stream().filter(r -> BROKEN.equals(r.key())).findFirst().orElseThrow();

        Run replay = dlt("replay", "--topic", SOURCE, "--team", BROKEN, "--yes");

        assertThat(replay.code()).isZero();
        assertThat(replay.out()).contains("2 dead letters selected; 1 original record to replay", "Replayed 1 record.");
        List<ConsumerRecord<String, byte[]>> replayed = read(SOURCE).stream()
                .filter(r -> r.headers().lastHeader(DeadLetterReplayer.REPLAYED_FROM) != null)
                .filter(r -> BROKEN.equals(r.key()))
                .toList();
        assertThat(replayed).hasSize(1);
        ConsumerRecord<String, byte[]> copy = replayed.get(0);
        assertThat(copy.value()).isEqualTo(original.value());
        assertThat(headerPairs(copy).subList(0, headerPairs(copy).size() - 1)).isEqualTo(headerPairs(original));
        assertThat(new String(copy.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8))
                .isEqualTo(brokenCeId);
        assertThat(headerPairs(copy)).noneMatch(h -> h.startsWith("kafka_dlt-") || h.startsWith("flotilla_dlt_"));
    }

    @Test
    void replayAsksFirstAndAnythingButYesReplaysNothing() {
        int before = read(SOURCE).size();

        Run declined = dlt(new BufferedReader(new StringReader("n\n")), "replay", "--topic", SOURCE, "--team", OTHER);
        Run noAnswer = dlt(new BufferedReader(new StringReader("")), "replay", "--topic", SOURCE, "--team", OTHER);
        Run nothingSelected = dlt("replay", "--yes");

        assertThat(declined.out()).contains("[y/N]", "Not replayed.");
        assertThat(noAnswer.out()).contains("Not replayed.");
        assertThat(nothingSelected.code()).isEqualTo(2);
        assertThat(nothingSelected.err()).contains("replay needs a selection");
        assertThat(read(SOURCE)).hasSize(before);
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        assertThat(dlt("list", "--since", "yesterday").err()).contains("--since");
        assertThat(dlt("list", "--topic", "no such topic").err()).contains("--topic");
        assertThat(dlt("list", "--topic", "missing-" + RUN).err()).contains("no dead-letter topic missing-" + RUN);
        assertThat(dlt("show", DLT, "x/1").err()).contains("<partition>/<offset>");
        assertThat(dlt("list", "--bogus").code()).isEqualTo(2);
    }

    // --- the platform's consumers, failing

    private static KafkaMessageListenerContainer<String, byte[]> failingConsumer(String group) {
        var consumers = new DefaultKafkaConsumerFactory<String, byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                group + "-" + RUN,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
        var properties = new ContainerProperties(SOURCE);
        properties.setMessageListener((MessageListener<String, byte[]>) record -> {
            if (record.key().equals(BROKEN) || (record.key().equals(OTHER) && group.equals(GROUPS_FAIL))) {
                throw new InvalidEventException(
                        "region 'mars' is not a Fly region (Authorization: Bearer " + JWT + ")");
            }
        });
        var container = new KafkaMessageListenerContainer<>(consumers, properties);
        var template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<Object, Object>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)));
        container.setCommonErrorHandler(DeadLetters.errorHandler(
                template,
                new FlotillaKafkaProperties.Retry(Duration.ofMillis(20), Duration.ofMillis(100)),
                (record, failure, attempt) -> {}));
        container.start();
        return container;
    }

    private static ProducerRecord<String, byte[]> event(String team, String ceId, String json) {
        var record = new ProducerRecord<String, byte[]>(SOURCE, team, json.getBytes(StandardCharsets.UTF_8));
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", ceId);
        header(record, "ce_source", "employable/test");
        header(record, "ce_type", "com.example.thing.v1");
        header(record, "authorization", "Bearer " + JWT);
        header(record, "x-session-token", "s3cr3t-session");
        header(record, "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        return record;
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    // --- the command and what it left on the broker

    private record Run(int code, String out, String err) {}

    private static Run dlt(String... args) {
        return dlt(new BufferedReader(new StringReader("")), args);
    }

    private static Run dlt(BufferedReader in, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = new DltCommand(
                        bootstrap(),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        in,
                        Clock.systemUTC())
                .run(List.of(args));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> lines(Run run, String team) {
        return run.out().lines().filter(line -> line.contains(" " + team + " ")).toList();
    }

    private static List<String> headerPairs(ConsumerRecord<String, byte[]> record) {
        List<String> pairs = new ArrayList<>();
        for (Header h : record.headers()) {
            pairs.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8));
        }
        return pairs;
    }

    private static int count(String topic) {
        return read(topic).size();
    }

    private static List<ConsumerRecord<String, byte[]>> read(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer() {
        return new org.apache.kafka.clients.producer.KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private static String bootstrap() {
        return TestKafka.bootstrapServers();
    }
}
