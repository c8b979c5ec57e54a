package com.employable.flotilla.devstack.trial;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.team.TeamDeleted;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.devstack.mcp.McpClient.ToolsList;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trial's own moving parts against local-fly running real machine processes and a real broker: the wake
 * measurements (stop or suspend through the Machines API, then a request through Fly's proxy, then start and wait), a
 * rate limit noted as one of Fly's answers, and the teardown (team.deleted published once per team, however many
 * callers, then waiting until the apps are gone, naming what is left). Bounded: nothing here waits more than a minute.
 */
class TrialAgainstLocalFlyTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalFlyProcess localFly;
    private static final List<String> apps = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        localFly = LocalFlyProcess.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (localFly != null) {
            for (String app : apps) {
                localFly.deleteApp(app);
            }
            localFly.close();
        }
    }

    @Test
    void measuresStartFromStoppedAndResumeFromSuspendedThroughTheProxyAndTheApi() throws Exception {
        String app = app("wake");
        String machine = localFly.appWithMachine(app);
        FlyAnswers answers = new FlyAnswers();
        MachinesApi fly = new MachinesApi(localFly.apiUrl(), LocalFlyProcess.TOKEN, answers);
        List<String> statesBeforeRequest = new ArrayList<>();
        Supplier<ToolsList> request = () -> {
            try {
                statesBeforeRequest.add(fly.state(app, machine));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return proxied(app);
        };

        Wakes.Wake stopped = new Wakes(fly).measure(app, machine, "stopped", request);
        Wakes.Wake suspended = new Wakes(fly).measure(app, machine, "suspended", request);

        // an untimed request to the started server, then the timed one to the resting server
        assertThat(statesBeforeRequest).containsExactly("started", "stopped", "started", "suspended");
        assertThat(stopped.viaRequestMs()).isNotNull().isPositive();
        assertThat(stopped.viaApiMs()).isNotNull().isNotNegative();
        assertThat(suspended.viaRequestMs()).isNotNull().isPositive();
        assertThat(suspended.viaApiMs()).isNotNull().isNotNegative();
        assertThat(stopped.notes()).isEmpty();
        assertThat(suspended.notes()).isEmpty();
        assertThat(fly.state(app, machine)).isEqualTo("started");
        // this test's own state checks add to the trial's: local-fly's get-machine limit may answer 429, waited out
        assertThat(answers.answers())
                .allSatisfy(answer -> assertThat(answer.status()).isEqualTo(429));
    }

    @Test
    void aRateLimitIsWaitedOutAndReportedAsOneOfFlysLimits() throws Exception {
        String app = app("limited");
        String machine = localFly.appWithMachine(app);
        FlyAnswers answers = new FlyAnswers();
        MachinesApi fly = new MachinesApi(localFly.apiUrl(), LocalFlyProcess.TOKEN, answers);
        localFly.fault("POST", "/v1/apps/" + app + "/machines/[^/]+/stop", 429, 1);

        fly.stop(app, machine);
        fly.await(app, machine, "stopped", Duration.ofSeconds(30));

        assertThat(answers.limits()).singleElement().satisfies(limit -> {
            assertThat(limit.status()).isEqualTo(429);
            assertThat(limit.endpoint()).isEqualTo("machines.stop");
            assertThat(limit.source()).isEqualTo("trial");
        });
        assertThat(answers.byKind()).containsEntry("429", 1);
    }

    @Test
    void teardownPublishesTeamDeletedOncePerTeamAndWaitsUntilTheAppsAreGone() throws Exception {
        List<String> teams = List.of("trial-" + RUN + "-1", "trial-" + RUN + "-2");
        for (String team : teams) {
            localFly.appWithMachine(app(team));
        }
        FlyAnswers answers = new FlyAnswers();
        MachinesApi fly = new MachinesApi(localFly.apiUrl(), LocalFlyProcess.TOKEN, answers);
        AtomicInteger published = new AtomicInteger();
        try (var events = new TeamEvents(TestKafka.bootstrapServers())) {
            // what the provisioner does on team.deleted, done here: the app goes
            Teardown teardown = new Teardown(
                    team -> {
                        events.deleted(team);
                        published.incrementAndGet();
                        localFly.deleteApp(app(team));
                    },
                    fly::appExists,
                    Duration.ofSeconds(30),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            teams.forEach(team -> teardown.track(team, app(team)));

            // the trial's own end and Ctrl-C's shutdown hook at once
            var hook = CompletableFuture.supplyAsync(() -> {
                try {
                    return teardown.run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Teardown.Result result = teardown.run();

            assertThat(hook.get()).isSameAs(result);
            assertThat(result.leftBehind()).isEmpty();
            assertThat(result.failures()).isEmpty();
            assertThat(published).hasValue(2);
            for (String team : teams) {
                assertThat(fly.appExists(app(team))).isFalse();
            }
        }
        List<ConsumerRecord<String, byte[]>> deletes = read(Topics.TEAM_LIFECYCLE_NAME).stream()
                .filter(r -> teams.contains(r.key()))
                .toList();
        assertThat(deletes).hasSize(2);
        assertThat(deletes).allSatisfy(r -> {
            assertThat(new String(r.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                    .isEqualTo(TeamDeleted.TYPE);
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("\"revision\":2");
        });
    }

    @Test
    void teardownNamesTheAppsThatAreStillThereWhenItGivesUp() throws Exception {
        String team = "kept-" + RUN;
        localFly.appWithMachine(app(team));
        MachinesApi fly = new MachinesApi(localFly.apiUrl(), LocalFlyProcess.TOKEN, new FlyAnswers());
        var out = new ByteArrayOutputStream();
        Teardown teardown = new Teardown(
                t -> {}, fly::appExists, Duration.ofSeconds(1), new PrintStream(out, true, StandardCharsets.UTF_8));
        teardown.track(team, app(team));

        Teardown.Result result = teardown.run();

        assertThat(result.leftBehind()).containsExactly(app(team));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("STILL PRESENT", app(team));
    }

    @Test
    void aTrialsWarmPoolCountsAndDeletesOnlyItsOwnUnclaimedPoolApps() throws Exception {
        MachinesApi fly = new MachinesApi(localFly.apiUrl(), LocalFlyProcess.TOKEN, new FlyAnswers());
        String older = poolApp("older");
        localFly.appWithMachine(older);
        var before = TrialPool.poolApps(fly, "personal");
        assertThat(before).contains(older);
        var pool = new TrialPool(fly, "personal", before);
        String ready = poolApp("ready");
        String machine = localFly.appWithMachine(ready);
        fly.suspend(ready, machine);
        fly.await(ready, machine, "suspended", Duration.ofSeconds(30));
        String claimed = poolApp("claimed");
        String claimedMachine = localFly.appWithMachine(claimed);
        assertThat(localFly.send(
                                "POST",
                                "/v1/apps/" + claimed + "/machines/" + claimedMachine + "/metadata/flotilla_team",
                                "{\"value\":\"trial-team-1\"}")
                        .statusCode())
                .isEqualTo(204);

        assertThat(pool.awaitReady(1, Duration.ofSeconds(30)))
                .as("one of this trial's pool apps is suspended and holds no team")
                .isTrue();
        assertThat(pool.awaitReady(2, Duration.ofSeconds(3)))
                .as("neither the org's older pool app nor a claimed one counts")
                .isFalse();

        assertThat(pool.deleteUnclaimed()).containsExactly(ready);
        assertThat(fly.appExists(ready)).isFalse();
        assertThat(fly.appExists(older)).as("not this trial's: never deleted").isTrue();
        assertThat(fly.appExists(claimed)).as("a team's: it goes with the team").isTrue();
    }

    private static String poolApp(String name) {
        String app = TrialPool.APP_PREFIX + RUN + "-" + name;
        apps.add(app);
        return app;
    }

    private static String app(String name) {
        String app = "flotilla-team-" + name;
        if (!apps.contains(app)) {
            apps.add(app);
        }
        return app;
    }

    /** A request through local-fly's proxy, which starts a stopped or suspended machine and waits for it. */
    private static ToolsList proxied(String app) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> answer = HTTP.send(
                    HttpRequest.newBuilder(URI.create(localFly.proxyUrl() + "/" + app + "/"))
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            return answer.statusCode() == 200
                    ? new ToolsList(200, List.of("echo"), null, took)
                    : new ToolsList(answer.statusCode(), List.of(), "HTTP " + answer.statusCode(), took);
        } catch (Exception e) {
            return new ToolsList(0, List.of(), e.toString(), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static List<ConsumerRecord<String, byte[]>> read(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
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
}
