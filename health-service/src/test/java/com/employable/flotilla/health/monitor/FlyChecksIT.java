package com.employable.flotilla.health.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.auth.TeamCredentials;
import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.health.probe.FlyChecksProbe;
import com.employable.flotilla.health.probe.FlyChecksProperties;
import com.employable.flotilla.health.probe.ProbeProperties;
import com.employable.flotilla.health.probe.ProbeResult;
import com.employable.flotilla.health.probe.Prober;
import com.employable.flotilla.health.support.LocalFlyProcess;
import com.employable.flotilla.health.support.ProbeKeys;
import com.employable.flotilla.health.support.RegistryFeed;
import com.employable.flotilla.health.support.TeamServerProcess;
import com.employable.flotilla.health.targets.ProbeTarget;
import com.employable.flotilla.health.targets.TargetKey;
import com.employable.flotilla.health.targets.TargetListener.Reason;
import com.employable.flotilla.health.targets.TargetListener.Start;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The {@code fly-checks} mode against local-fly, whose machines are real processes and whose machine checks run as
 * flyd runs them: the real probe and monitor read each machine's {@code mcp} check through the Machines API only (no
 * connection to any machine), and judge it as the other modes do. The interval (3 s) is long enough that the
 * two-interval bound is about the cadence, not about how busy the machine running the test is; the check runs every
 * 500 ms, as the provisioner's default keeps it at a quarter of the interval or less.
 */
class FlyChecksIT {

    private static final Duration INTERVAL = Duration.ofSeconds(3);

    private static LocalFlyProcess fly;

    @TempDir
    Path dir;

    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    private final RecordedTransitions transitions = new RecordedTransitions();

    private final AtomicInteger probes = new AtomicInteger();

    private HealthMonitor monitor;

    @BeforeAll
    static void startLocalFly() throws Exception {
        fly = LocalFlyProcess.start(LocalFlyProcess.jar(), TeamServerProcess.jar());
    }

    @AfterAll
    static void stopLocalFly() {
        if (fly != null) {
            fly.close();
        }
    }

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.stop();
        }
        threads.shutdownNow();
    }

    @Test
    void aStartedTeamServersPassingMcpCheckMakesItHealthyAndNothingEverConnectsToIt() throws Exception {
        String team = RegistryFeed.team("checked");
        String app = app(team);
        String probeToken = ProbeKeys.SERVICE.tokenFor(team);
        byte[] gatewayKey = new byte[32];
        new SecureRandom().nextBytes(gatewayKey);
        // the app's secrets and the machine's check as the provisioner writes them
        fly.call(
                "POST",
                "/v1/apps/" + app + "/secrets",
                "{\"values\":{\"FLOTILLA_PROBE_TOKEN\":\"" + probeToken + "\",\"FLOTILLA_TEAM_TOKEN_KEY\":\""
                        + TeamCredentials.teamTokenKey(gatewayKey, team) + "\"}}");
        String machine = machine(
                app,
                "registry.fly.io/flotilla-team-mcp-server:test",
                "\"FLOTILLA_TEAM_ID\":\"" + team + "\",\"FLOTILLA_RESOURCE_URL\":\"https://" + app + ".fly.dev/mcp\"",
                ",\"headers\":[{\"name\":\"Authorization\",\"values\":[\"Bearer " + checkToken(probeToken) + "\"]}]");

        monitor().track(target(app, machine), Start.NOW);

        await().atMost(Duration.ofSeconds(90))
                .until(() -> !transitions.statuses().isEmpty());
        assertThat(transitions.statuses()).containsExactly(HealthStatus.HEALTHY);
        ProbeResult last =
                monitor.health(new TargetKey(team, machine)).orElseThrow().lastProbe();
        assertThat(last.toolCount()).isEqualTo(6);
        assertThat(last.protocolVersion()).isEqualTo("2025-11-25");
        assertThat(fly.machine(app, machine).path("checks").toString())
                .contains("MCP ok: initialize + tools/list: 6 tools")
                .doesNotContain(probeToken);
    }

    @Test
    void aServerThatBreaksWhileAwakeIsUnhealthyWithinTwoIntervalsWithItsOutputCleaned() throws Exception {
        String team = RegistryFeed.team("breaks");
        String app = app(team);
        Path breakFile = dir.resolve("broken");
        String machine = machine(app, LocalFlyProcess.CHECKED_IMAGE, "\"BREAK_FILE\":\"" + breakFile + "\"", "");
        monitor().track(target(app, machine), Start.NOW);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> transitions.statuses().contains(HealthStatus.HEALTHY));
        // the break comes right after a probe on the schedule: the worst moment, a whole interval before the next one
        int seen = probes.get();
        await().atMost(INTERVAL.multipliedBy(3)).until(() -> probes.get() > seen);

        Files.writeString(breakFile, "broken", StandardCharsets.UTF_8);

        await().atMost(INTERVAL.multipliedBy(2))
                .until(() -> transitions.statuses().contains(HealthStatus.UNHEALTHY));
        assertThat(transitions.statuses()).containsExactly(HealthStatus.HEALTHY, HealthStatus.UNHEALTHY);
        HealthChanged unhealthy = transitions.published().get(1);
        assertThat(unhealthy.consecutiveFailures()).isEqualTo(3);
        assertThat(unhealthy.failure().kind()).isEqualTo(FailureKind.PROTOCOL);
        assertThat(unhealthy.failure().detail())
                .isEqualTo("mcp check critical: MCP self-check failed (protocol): tools/list: JSON-RPC error -32603:"
                        + " tool registry unavailable [2J FORGED health line");
    }

    @Test
    void aStoppedMachineIsNeverCheckedNorWokenAndKeepsItsVerdict() throws Exception {
        String team = RegistryFeed.team("sleeps");
        String app = app(team);
        Path breakFile = dir.resolve("broken");
        String machine = machine(app, LocalFlyProcess.CHECKED_IMAGE, "\"BREAK_FILE\":\"" + breakFile + "\"", "");
        ProbeTarget target = target(app, machine);
        monitor().track(target, Start.NOW);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> transitions.statuses().contains(HealthStatus.HEALTHY));

        fly.call("POST", "/v1/apps/" + app + "/machines/" + machine + "/stop", null);
        fly.call("GET", "/v1/apps/" + app + "/machines/" + machine + "/wait?state=stopped&timeout=30", null);
        // what Targets does when the registry reports the machine stopped
        monitor.untrack(target.key(), Reason.NOT_PROBED);
        JsonNode checkAtStop = fly.machine(app, machine).path("checks");
        int probed = probes.get();
        Files.writeString(breakFile, "broken", StandardCharsets.UTF_8);

        await().during(INTERVAL.multipliedBy(3))
                .atMost(INTERVAL.multipliedBy(4))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    JsonNode now = fly.machine(app, machine);
                    return probes.get() == probed
                            && "stopped".equals(now.path("state").asString())
                            && now.path("checks").equals(checkAtStop);
                });
        assertThat(transitions.statuses()).containsExactly(HealthStatus.HEALTHY);
        assertThat(monitor.health(target.key())).hasValueSatisfying(health -> {
            assertThat(health.probing()).isFalse();
            assertThat(health.status()).isEqualTo(HealthStatus.HEALTHY);
        });
    }

    private HealthMonitor monitor() {
        ProbeProperties probe = new ProbeProperties(
                ProbeProperties.Method.TOOLS_LIST,
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                Duration.ofMillis(500),
                64 * 1024,
                4,
                4,
                ProbeProperties.Client.STREAMABLE_HTTP);
        // listings a little more often than Fly's 1/s (local-fly allows 5/s), so confirmations see fresh ones
        var flyChecks = new FlyChecksProperties(
                fly.apiUrl(), LocalFlyProcess.TOKEN, "mcp", Duration.ofMillis(250), 1024 * 1024);
        FlyChecksProbe read = FlyChecksProbe.create(flyChecks, probe, threads, Clock.systemUTC());
        Prober counting = target -> read.probe(target).whenComplete((result, impossible) -> probes.incrementAndGet());
        monitor = new HealthMonitor(
                counting,
                new ScheduleProperties(INTERVAL, 0.05, 100, Duration.ofMillis(250), Duration.ofSeconds(60)),
                new VerdictProperties(3, 2, Duration.ofSeconds(2), 2, 10, 2),
                transitions,
                new SimpleMeterRegistry(),
                Clock.systemUTC());
        return monitor;
    }

    private static String app(String team) {
        String app = "flotilla-team-" + team;
        fly.call(
                "POST",
                "/v1/apps",
                "{\"app_name\":\"" + app + "\",\"org_slug\":\"personal\",\"network\":\"" + app + "\"}");
        return app;
    }

    /** A started machine with the {@code mcp} check as the provisioner writes it, at a 500 ms interval. */
    private static String machine(String app, String image, String env, String headers) {
        JsonNode created = fly.call(
                "POST",
                "/v1/apps/" + app + "/machines",
                "{\"region\":\"fra\",\"config\":{\"image\":\"" + image + "\",\"env\":{" + env + "},"
                        + "\"services\":[{\"protocol\":\"tcp\",\"internal_port\":8080,\"autostop\":\"off\","
                        + "\"autostart\":true}],"
                        + "\"checks\":{\"mcp\":{\"type\":\"http\",\"port\":8080,\"method\":\"GET\","
                        + "\"path\":\"/healthz/mcp\",\"interval\":\"500ms\",\"timeout\":\"5s\",\"grace_period\":\"0s\""
                        + headers + "}}}}");
        String id = created.path("id").asString();
        // a first boot of the team server may train its AOT cache first: wait as long as that takes
        await().atMost(Duration.ofMinutes(3))
                .ignoreExceptions()
                .until(() -> "started"
                        .equals(fly.call(
                                        "GET",
                                        "/v1/apps/" + app + "/machines/" + id + "/wait?state=started&timeout=60",
                                        null)
                                .path("state")
                                .asString()));
        return id;
    }

    private static ProbeTarget target(String app, String machine) {
        String team = app.substring("flotilla-team-".length());
        return new ProbeTarget(
                new TargetKey(team, machine),
                URI.create(fly.apiUrl() + "/v1/apps/" + app + "/machines/" + machine),
                1,
                false,
                app);
    }

    /** The team server's check token: {@code base64url(HMAC-SHA256(probe token, "flotilla/check-token/v1"))}. */
    private static String checkToken(String probeToken) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(probeToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(mac.doFinal("flotilla/check-token/v1".getBytes(StandardCharsets.UTF_8)));
    }
}
