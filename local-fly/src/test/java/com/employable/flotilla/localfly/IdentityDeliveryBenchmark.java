package com.employable.flotilla.localfly;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A harness, not a test of the default run: how long each way of giving a warm-pool machine its team's identity takes
 * on local-fly's process runtime with the real team server. Re-run:
 *
 * <pre>./mvnw -o -q package -pl team-mcp-server -DskipTests
 * ./mvnw -o verify -pl local-fly -Dtest=IdentityDeliveryBenchmark -Dflotilla.bench=true</pre>
 *
 * It prints p50/min/max per way (report in local-fly's README and the provisioner's README):
 * <ul>
 * <li><b>update</b>: a stopped pool machine gets the team's full config (env) by one update, which boots it; timed to
 * {@code started} (local-fly's started = the server accepts connections);</li>
 * <li><b>start</b>: a plain start of the stopped machine, the floor of a first-start fetch (which then still has to
 * fetch its identity from somewhere and apply it);</li>
 * <li><b>exec write</b>: a config file written into a running machine through exec, as the blueprint does (the
 * server would have to hot-reload it, which this one does not; the floor of that way);</li>
 * <li><b>resume</b>: a suspended machine started again, for comparison (no identity can change this way).</li>
 * </ul>
 */
@EnabledIfSystemProperty(named = "flotilla.bench", matches = "true")
class IdentityDeliveryBenchmark {

    private static final int RUNS = 7;

    @TempDir
    Path dataDir;

    @Test
    void identityDeliveryWays() throws Exception {
        Path jar = Path.of(
                System.getProperty("flotilla.team-server.jar", "../team-mcp-server/target/team-mcp-server.jar"));
        try (LocalFly fly =
                LocalFly.start(LocalFlyConfig.simulated(dataDir).withRuntime("process", Optional.of(jar), null))) {
            fly.rateLimits().enabled(false);
            FlyClient api = new FlyClient(fly.apiUrl(), fly.token());
            String app = "flotilla-pool-bench" + System.nanoTime() % 100000;
            api.post(
                    "/v1/apps", "{\"app_name\":\"" + app + "\",\"org_slug\":\"personal\",\"network\":\"" + app + "\"}");
            String machines = "/v1/apps/" + app + "/machines";
            String id = api.post(machines, "{\"region\":\"iad\",\"config\":" + config(app, "pool-x") + "}")
                    .body()
                    .path("id")
                    .asString();
            String machine = machines + "/" + id;
            await(api, machine, "started");

            var update = new ArrayList<Long>();
            var start = new ArrayList<Long>();
            var exec = new ArrayList<Long>();
            var resume = new ArrayList<Long>();
            for (int run = 0; run < RUNS; run++) {
                post(api, machine + "/stop", null);
                await(api, machine, "stopped");
                update.add(time(() -> {
                    post(api, machine, "{\"config\":" + config(app, "team-" + System.nanoTime()) + "}");
                    return await(api, machine, "started");
                }));
                post(api, machine + "/stop", null);
                await(api, machine, "stopped");
                start.add(time(() -> {
                    post(api, machine + "/start", null);
                    return await(api, machine, "started");
                }));
                String b64 = Base64.getEncoder().encodeToString(("{\"team\":\"t" + run + "\"}").getBytes());
                exec.add(time(() -> post(
                        api,
                        machine + "/exec",
                        "{\"command\":[\"sh\",\"-c\",\"umask 077; echo " + b64
                                + " | base64 -d > team.json.tmp && mv team.json.tmp team.json\"]}")));
                post(api, machine + "/suspend", null);
                await(api, machine, "suspended");
                resume.add(time(() -> {
                    post(api, machine + "/start", null);
                    return await(api, machine, "started");
                }));
            }
            report("update (env) of a stopped machine, to started", update);
            report("start of a stopped machine (floor of a first-start fetch)", start);
            report("exec config write into a running machine", exec);
            report("resume of a suspended machine (no new identity possible)", resume);
        }
    }

    private static String config(String app, String teamId) {
        return "{\"image\":\"registry.fly.io/team-mcp-server:1\",\"env\":{\"FLOTILLA_TEAM_ID\":\"" + teamId
                + "\",\"FLOTILLA_TEAM_TOKEN_KEY\":\"" + token(32) + "\",\"FLOTILLA_PROBE_TOKEN\":\"" + token(24)
                + "\",\"FLOTILLA_RESOURCE_URL\":\"https://" + app + ".fly.dev/mcp\"}}";
    }

    private static long time(Supplier<Object> action) {
        long began = System.nanoTime();
        action.get();
        return (System.nanoTime() - began) / 1_000_000;
    }

    private static Object post(FlyClient api, String path, String body) {
        FlyClient.Reply reply = api.post(path, body);
        assertThat(reply.status()).as(path + ": " + reply.body()).isEqualTo(200);
        if (path.endsWith("/exec")) {
            assertThat(reply.body().path("exit_code").asInt()).isZero();
        }
        return reply;
    }

    private static Object await(FlyClient api, String machine, String state) {
        FlyClient.Reply reply = api.get(machine + "/wait?state=" + state + "&timeout=60");
        assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(200);
        return reply;
    }

    private static void report(String what, List<Long> millis) {
        var sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf(
                "IDENTITY %-62s p50 %5d ms  min %5d  max %5d  (n=%d)%n",
                what, sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
    }

    private static String token(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
