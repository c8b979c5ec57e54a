package com.employable.flotilla.provisioner;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.CloudEventHeaders;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.common.testsupport.TestPostgres;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.provisioner.support.ProvisionerInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The cold path, measured (not a test: its name keeps it out of every suite; run it with
 * {@code provisioner-service/bench/cold-path.sh}). One team at a time, from {@code team.created} on Kafka to the
 * {@code machine.state-changed} that says its machine is started (and to {@code server.provisioned}), against
 * local-fly's simulated runtime (Fly-like create and start latencies, Fly's rate limits enforced). In one run: the
 * baseline (1 request/s per action and id without bursts, like the fixed window before, and every call one after
 * the other) and the current settings (Fly's bursts, independent calls at once). Report: target/bench/cold-path.md.
 */
class ColdPathBench {

    private static final CloudEventCodec EMPLOYABLE = new CloudEventCodec("employable/bench");

    @Test
    void coldPath() throws IOException {
        int teams = Integer.getInteger("flotilla.bench.teams", 10);
        var variants = new LinkedHashMap<String, Map<String, Object>>();
        variants.put(
                "baseline: 1 req/s per action and id, no bursts; calls one after the other",
                Map.of(
                        "flotilla.fly.limits.default.requests", "1",
                        "flotilla.fly.limits.default.per", "1s",
                        "flotilla.fly.limits.default.burst", "1",
                        "flotilla.fly.limits.get-machine.requests", "5",
                        "flotilla.fly.limits.get-machine.per", "1s",
                        "flotilla.fly.limits.get-machine.burst", "5",
                        "flotilla.fly.concurrent-calls", "false"));
        variants.put("now: Fly's bursts (3; get machine 10); independent calls at once", Map.of());
        var report = new StringBuilder("# Cold path: team.created to machine started, one team at a time\n\n");
        report.append("local-fly simulated runtime (create ")
                .append(System.getenv().getOrDefault("LOCAL_FLY_SIM_CREATE_MS", "2000"))
                .append(" ms, start 300 ms), ")
                .append(teams)
                .append(" teams per variant (plans alternate starter and team), ")
                .append(Instant.now())
                .append(
                        "\n\n| variant | to machine started p50 | min | max | to server.provisioned p50 |\n|---|---|---|---|---|\n");
        var broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.afterPropertiesSet();
        try {
            for (var variant : variants.entrySet()) {
                report.append(measure(broker.getBrokersAsString(), teams, variant.getKey(), variant.getValue()));
            }
        } finally {
            broker.destroy();
        }
        Path out = Path.of("target", "bench", "cold-path.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println(report);
    }

    private String measure(String bootstrap, int teams, String name, Map<String, Object> variant) {
        var settings = new HashMap<String, Object>(variant);
        settings.put("spring.kafka.bootstrap-servers", bootstrap);
        settings.put("spring.kafka.listener.auto-startup", "true");
        settings.put("flotilla.provisioner.own-teams-by-partition", "true");
        // the machine's PostgreSQL is shared: a small pool per instance
        settings.put("spring.datasource.hikari.maximum-pool-size", "5");
        String org = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        List<Long> started = new ArrayList<>();
        List<Long> provisioned = new ArrayList<>();
        try (ConfigurableApplicationContext provisioner =
                        ProvisionerInstance.start(TestPostgres.newDatabase("cold_path"), org, settings);
                TopicProbe outcomes = TopicProbe.reading(bootstrap, Topics.SERVER_LIFECYCLE_NAME)) {
            // one warm-up team: the JIT and the connection pools, not counted
            for (int i = -1; i < teams; i++) {
                String team = "cold-" + UUID.randomUUID().toString().substring(0, 8);
                long sent = System.nanoTime();
                publish(
                        bootstrap,
                        new TeamCreated(team, 1, team, i % 2 == 0 ? "starter" : "team", "iad", Instant.now()));
                outcomes.await(record -> startedMachine(record, team), 1, Duration.ofSeconds(60));
                long machineStarted = System.nanoTime();
                outcomes.await(
                        record -> team.equals(record.key()) && type(record).equals(ServerProvisioned.TYPE),
                        1,
                        Duration.ofSeconds(60));
                long announced = System.nanoTime();
                if (i >= 0) {
                    started.add((machineStarted - sent) / 1_000_000);
                    provisioned.add((announced - sent) / 1_000_000);
                }
            }
        }
        List<Long> sortedStarted = started.stream().sorted().toList();
        return "| " + name + " | " + median(started) + " ms | " + sortedStarted.get(0) + " ms | "
                + sortedStarted.get(sortedStarted.size() - 1) + " ms | " + median(provisioned) + " ms |\n";
    }

    private static boolean startedMachine(ConsumerRecord<String, byte[]> record, String team) {
        if (!team.equals(record.key()) || !type(record).equals(MachineStateChanged.TYPE)) {
            return false;
        }
        @SuppressWarnings("unchecked")
        var change =
                (MachineStateChanged) ((EventEnvelope<ServerLifecycleEvent>) CloudEventCodec.decode(record)).data();
        return "started".equals(change.to());
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String type(ConsumerRecord<String, byte[]> record) {
        return CloudEventCodec.header(record.headers(), CloudEventHeaders.TYPE).orElse("");
    }

    private static void publish(String bootstrap, TeamCreated event) {
        TopicProbe.send(
                bootstrap,
                List.of(CloudEventCodec.toRecord(
                        Topics.TEAM_LIFECYCLE, EMPLOYABLE.envelope(Topics.TEAM_LIFECYCLE, event))));
    }
}
