package com.employable.flotilla.e2e.fastpath;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.e2e.support.CloudEventRecords;
import com.employable.flotilla.e2e.support.LocalFlyClient;
import com.employable.flotilla.e2e.support.Platform;
import com.employable.flotilla.e2e.support.TopicRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;

/**
 * One burst: the provisioner (with the warm pool) on local-fly's simulated runtime, the pool prefilled to
 * {@code poolSize} spread over the {@code us} residency group, then {@code teams} {@code team.created} in {@code iad}
 * published as fast as one producer sends them, each team timed from its send to its {@code server.provisioned}
 * (the record's timestamp, written by the provisioner when its machine reached {@code started}).
 *
 * @param name       the configuration's name in the report
 * @param teams      teams in the burst
 * @param poolSize   ready entries before the burst (also the pool's target during it)
 * @param flyEnv     local-fly's environment (profile and overrides)
 * @param serviceEnv more provisioner environment (workers)
 * @param deadline   how long the burst may take to be provisioned
 */
record BurstRun(
        String name,
        int teams,
        int poolSize,
        Map<String, String> flyEnv,
        Map<String, String> serviceEnv,
        Duration deadline) {

    /**
     * The provisioner's own bucket for app creates (1/s, bursts of 3, shared by the org: Fly documents no limit for
     * them) raised to {@code flotilla.burst.app-creates} a second (20; 0 keeps the provisioner's default), so 1,000
     * pool entries are built in minutes, not 17; the same for cold creates.
     */
    /** Teams published per second ({@code -Dflotilla.burst.rate}); 0 publishes them all at once. */
    static final int RATE = Integer.getInteger("flotilla.burst.rate", 0);

    static final int APP_CREATES_PER_SECOND = Integer.getInteger("flotilla.burst.app-creates", 20);

    static String appCreates(int perSecond) {
        return "{\"flotilla\":{\"fly\":{\"limits\":{\"create-app\":{\"requests\":" + perSecond
                + ",\"per\":\"1s\",\"burst\":" + perSecond + "}}}}}";
    }

    /** The us group in its order: teams in iad claim there first, then in the next region of the group. */
    static final List<String> US = List.of("iad", "ewr", "ord", "dfw", "sjc", "lax");

    /** Per team in publish order: latency (ms, -1 never), from the pool or cold, and when it was ready (ms since t0). */
    record Result(
            String name,
            int poolSize,
            Map<String, Integer> targets,
            long prefillMillis,
            long prefill429,
            List<Long> latencies,
            List<Boolean> fromPool,
            List<Long> readyAt,
            long publishMillis,
            Map<String, Long> burst429,
            long burstAllowed,
            String loadBefore,
            String loadAfter) {}

    Result run() throws Exception {
        Map<String, Integer> targets = targets(poolSize);
        var env = new LinkedHashMap<String, String>(serviceEnv);
        env.put("FLOTILLA_POOL_ENABLED", "true");
        env.put("FLOTILLA_POOL_REFILL_PER_MINUTE", "60");
        env.put("FLOTILLA_PROVISIONER_POOL_BUILDERS", "24");
        if (APP_CREATES_PER_SECOND > 0) {
            env.put("SPRING_APPLICATION_JSON", appCreates(APP_CREATES_PER_SECOND));
        }
        targets.forEach((region, target) ->
                env.put("FLOTILLA_PROVISIONER_POOL_TARGETS_" + region.toUpperCase(), Integer.toString(target)));
        var options = Platform.Options.defaults()
                .withRuntime("simulated")
                .withFlyEnv(flyEnv)
                .withServiceEnv(env);
        for (String service : Platform.SERVICES) {
            if (!service.equals("provisioner-service")) {
                options = options.withInstances(service, 0);
            }
        }
        try (Platform platform = Platform.start("burst-" + name, options);
                TopicRecorder outcomes =
                        new TopicRecorder(TestKafka.bootstrapServers(), Topics.SERVER_LIFECYCLE_NAME)) {
            LocalFlyClient fly = new LocalFlyClient(platform.fly());
            long prefillStart = System.nanoTime();
            long target = targets.values().stream().mapToInt(Integer::intValue).sum();
            while (PoolApps.readyBeforeAnyClaim(fly) < target) {
                if (System.nanoTime() - prefillStart > Duration.ofMinutes(8).toNanos()) {
                    throw new AssertionError(
                            "pool not prefilled in 8 minutes: " + PoolApps.readyBeforeAnyClaim(fly) + " of " + target);
                }
                LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            }
            long prefillMillis = (System.nanoTime() - prefillStart) / 1_000_000;
            long prefill429 =
                    limited(fly).values().stream().mapToLong(Long::longValue).sum();
            fly.delete("/_admin/rate-limits");
            String loadBefore = loadAverage();

            List<String> ids = new ArrayList<>();
            long[] sentAt = new long[teams];
            long t0 = System.currentTimeMillis();
            try (var producer = producer()) {
                for (int i = 0; i < teams; i++) {
                    String team = UUID.randomUUID().toString();
                    ids.add(team);
                    if (RATE > 0) {
                        // an open-loop arrival: team i is due at i / rate seconds, whatever the platform does
                        long due = t0 + i * 1000L / RATE;
                        while (System.currentTimeMillis() < due) {
                            LockSupport.parkNanos(Duration.ofMillis(due - System.currentTimeMillis())
                                    .toNanos());
                        }
                        producer.flush();
                    }
                    sentAt[i] = System.currentTimeMillis();
                    producer.send(CloudEventRecords.teamCreated(team, "burst " + i, "starter", "iad"));
                }
                producer.flush();
            }
            long publishMillis = System.currentTimeMillis() - t0;

            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                index.put(ids.get(i), i);
            }
            Map<Integer, TopicRecorder.Received> provisioned = new HashMap<>();
            long waitStart = System.nanoTime();
            while (provisioned.size() < teams && System.nanoTime() - waitStart < deadline.toNanos()) {
                for (TopicRecorder.Received received : outcomes.received()) {
                    Integer i = index.get(received.record().key());
                    if (i != null
                            && CloudEventRecords.type(received.record())
                                    .filter(ServerProvisioned.TYPE::equals)
                                    .isPresent()) {
                        provisioned.putIfAbsent(i, received);
                    }
                }
                LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            }
            var latencies = new ArrayList<Long>();
            var fromPool = new ArrayList<Boolean>();
            var readyAt = new ArrayList<Long>();
            for (int i = 0; i < teams; i++) {
                TopicRecorder.Received received = provisioned.get(i);
                if (received == null) {
                    latencies.add(-1L);
                    fromPool.add(false);
                    readyAt.add(-1L);
                } else {
                    long at = received.record().timestamp();
                    latencies.add(at - sentAt[i]);
                    readyAt.add(at - t0);
                    ServerProvisioned event =
                            (ServerProvisioned) CloudEventRecords.data(Topics.SERVER_LIFECYCLE, received.record());
                    fromPool.add(event.app().startsWith(PoolApps.POOL_PREFIX));
                }
            }
            Map<String, Long> burst429 = limited(fly);
            long allowed = 0;
            for (var counters : fly.get("/_admin/rate-limits").properties()) {
                allowed += counters.getValue().path("allowed").asLong();
            }
            return new Result(
                    name,
                    poolSize,
                    targets,
                    prefillMillis,
                    prefill429,
                    latencies,
                    fromPool,
                    readyAt,
                    publishMillis,
                    burst429,
                    allowed,
                    loadBefore,
                    loadAverage());
        }
    }

    /** The pool over the us group, a region per 50 entries up to all six (a region refills at 60 a minute). */
    static Map<String, Integer> targets(int poolSize) {
        int regions = Math.min(US.size(), Math.max(1, (poolSize + 49) / 50));
        var targets = new LinkedHashMap<String, Integer>();
        int left = poolSize;
        for (int r = 0; r < regions; r++) {
            int share = (left + (regions - r) - 1) / (regions - r);
            targets.put(US.get(r), share);
            left -= share;
        }
        return targets;
    }

    /** Fly 429s by action, from local-fly's rate-limit counters. */
    private static Map<String, Long> limited(LocalFlyClient fly) throws Exception {
        var limited = new LinkedHashMap<String, Long>();
        for (var counters : fly.get("/_admin/rate-limits").properties()) {
            JsonNode count = counters.getValue().path("limited");
            if (count.asLong() > 0) {
                limited.put(counters.getKey(), count.asLong());
            }
        }
        return limited;
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestKafka.bootstrapServers(),
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
