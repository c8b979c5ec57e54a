package com.employable.flotilla.localfly.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.localfly.machines.MachineRuntime;
import com.employable.flotilla.localfly.machines.MachineView;
import com.employable.flotilla.localfly.machines.RuntimeEvents;
import com.employable.flotilla.localfly.world.FlyWorld;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * flyd's check loop on its own: machines whose runtime "boots" them onto a server this test runs, checks run only
 * while a machine is started, straight at the machine (never as proxy traffic), and report as Fly reports them.
 */
class MachineChecksTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FlyWorld world = new FlyWorld(Clock.systemUTC(), "personal", Map.of());

    private final HttpServer server = server();

    private final AtomicInteger status = new AtomicInteger(200);

    private final AtomicInteger hits = new AtomicInteger();

    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        world.machines().runtime(new InstantRuntime(server.getAddress().getPort()));
        world.apps().create("app", "personal", "app");
        world.checks().start();
    }

    @AfterEach
    void stop() {
        world.shutdown();
        server.stop(0);
    }

    private HttpServer server() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/", exchange -> {
                int hit = hits.incrementAndGet();
                authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                byte[] body = ("run " + hit + (status.get() == 200 ? " ok" : " broken \u001b[31m"))
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status.get(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.start();
            return http;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String machine(String checks) {
        ObjectNode config = (ObjectNode) JSON.readTree("{\"image\":\"registry.fly.io/x:1\",\"services\":[{"
                + "\"internal_port\":8080,\"autostop\":\"stop\",\"autostart\":true}],"
                + "\"checks\":" + checks + "}");
        return world.machines().create("app", null, "iad", config, false, null).id();
    }

    private static String httpCheck(String interval, String grace) {
        return "{\"mcp\":{\"type\":\"http\",\"port\":8080,\"method\":\"get\",\"path\":\"/healthz/mcp\","
                + "\"interval\":\"" + interval + "\",\"timeout\":\"2s\",\"grace_period\":\"" + grace + "\","
                + "\"headers\":[{\"name\":\"Authorization\",\"values\":[\"Bearer check-token\"]}]}}";
    }

    private CheckStatus status(String id) {
        List<CheckStatus> statuses = world.checks().statuses(id);
        assertThat(statuses).hasSize(1);
        return statuses.get(0);
    }

    @Test
    void aStartedMachinesHttpCheckRunsAtItsIntervalWithItsHeadersAndPasses() {
        String id = machine(httpCheck("200ms", "0s"));

        await().atMost(Duration.ofSeconds(10)).until(() -> hits.get() >= 3);

        CheckStatus check = status(id);
        assertThat(check.name()).isEqualTo("mcp");
        assertThat(check.status()).isEqualTo(CheckStatus.PASSING);
        assertThat(check.output()).matches("HTTP GET http://\\[fdaa:.*\\]:8080/healthz/mcp: 200 Output: run \\d+ ok");
        assertThat(authorizations).containsOnly("Bearer check-token");
    }

    @Test
    void untilItsFirstRunAfterTheGracePeriodACheckIsWaitingSinceTheStart() {
        String id = machine(httpCheck("200ms", "1h"));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> !world.checks().statuses(id).isEmpty());

        MachineView machine = world.machines().find(id).orElseThrow();
        CheckStatus check = status(id);
        assertThat(check.status()).isEqualTo(CheckStatus.WARNING);
        assertThat(check.output()).isEqualTo(MachineRun.WAITING);
        assertThat(check.updatedAt().toEpochMilli())
                .isEqualTo(machine.events().get(0).timestamp());
        assertThat(hits).hasValue(0);
    }

    @Test
    void updatedAtMovesWhenTheStatusChangesNotOnEveryRun() {
        String id = machine(httpCheck("200ms", "0s"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> CheckStatus.PASSING.equals(status(id).status()));

        status.set(503);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> CheckStatus.CRITICAL.equals(status(id).status()));
        CheckStatus broken = status(id);
        int seen = hits.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> hits.get() >= seen + 2);

        CheckStatus later = status(id);
        assertThat(later.status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(later.updatedAt()).isEqualTo(broken.updatedAt());
        assertThat(later.output()).isNotEqualTo(broken.output()).contains(": 503 Output: run ");
    }

    @Test
    void checksNeverCountAsActivityAndStopWithTheMachineKeepingTheirLastResult() {
        String id = machine(httpCheck("100ms", "0s"));
        await().atMost(Duration.ofSeconds(10)).until(() -> hits.get() >= 5);

        // checks ran all along, yet the proxy's idle sweep finds the machine idle: they are not its traffic
        assertThat(world.machines().autostop().stopIdle(Duration.ofMillis(300))).isEqualTo(1);
        assertThat(world.machines().find(id).orElseThrow().state()).isEqualTo("stopped");

        CheckStatus last = status(id);
        int seen = hits.get();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> hits.get() == seen);
        assertThat(status(id)).isEqualTo(last);
    }

    @Test
    void aStartBeginsANewRunThatWaitsForItsFirstCheck() {
        String id = machine(httpCheck("100ms", "0s"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> CheckStatus.PASSING.equals(status(id).status()));
        world.machines().actions().suspend("app", id, null);

        world.machines().actions().start("app", id, null);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> status(id).updatedAt().toEpochMilli()
                        >= world.machines()
                                .find(id)
                                .orElseThrow()
                                .events()
                                .get(0)
                                .timestamp());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> CheckStatus.PASSING.equals(status(id).status()));
    }

    @Test
    void tcpChecksAndChecksLocalFlyCannotRunAreReportedAsSuch() {
        String id = machine("{\"listening\":{\"type\":\"tcp\",\"port\":8080,\"interval\":\"100ms\"},"
                + "\"broken\":{\"type\":\"http\",\"port\":8080,\"interval\":\"soon\"},"
                + "\"tls\":{\"type\":\"http\",\"port\":8080,\"protocol\":\"https\",\"interval\":\"100ms\"}}");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> world.checks().statuses(id).stream()
                        .noneMatch(check -> check.output().equals(MachineRun.WAITING)));

        List<CheckStatus> checks = world.checks().statuses(id);
        assertThat(checks).extracting(CheckStatus::name).containsExactly("broken", "listening", "tls");
        assertThat(checks.get(0).status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(checks.get(0).output())
                .isEqualTo("invalid check: interval 'soon' is not a duration such as \"15s\"");
        assertThat(checks.get(1).status()).isEqualTo(CheckStatus.PASSING);
        assertThat(checks.get(1).output()).endsWith(":8080: Success");
        assertThat(checks.get(2).status()).isEqualTo(CheckStatus.WARNING);
        assertThat(checks.get(2).output()).endsWith("not run: local-fly runs http checks only");
    }

    @Test
    void aMachineWithoutAProcessHasNothingToCheck() {
        world.machines().runtime(new InstantRuntime(0));
        String id = machine(httpCheck("100ms", "0s"));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> !world.checks().statuses(id).isEmpty());

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> hits.get() == 0);
        assertThat(status(id).status()).isEqualTo(CheckStatus.WARNING);
        assertThat(status(id).output()).isEqualTo(MachineRun.SIMULATED);
    }

    @Test
    void durationsAreFlysStringsOrNanoseconds() {
        assertThat(GoDuration.parse(JSON.readTree("\"15s\""), null, "interval")).isEqualTo(Duration.ofSeconds(15));
        assertThat(GoDuration.parse(JSON.readTree("\"1m30s\""), null, "interval"))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(GoDuration.parse(JSON.readTree("\"1.5s\""), null, "interval"))
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(GoDuration.parse(JSON.readTree("\"500ms\""), null, "interval"))
                .isEqualTo(Duration.ofMillis(500));
        assertThat(GoDuration.parse(JSON.readTree("2000000000"), null, "interval"))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(GoDuration.parse(null, Duration.ofSeconds(15), "interval")).isEqualTo(Duration.ofSeconds(15));
    }

    /** Boots a machine onto a fixed port at once (0: no process, as the simulated runtime); halts at once. */
    private record InstantRuntime(int port) implements MachineRuntime {

        @Override
        public void boot(RuntimeEvents events, MachineView machine, long generation, Map<String, String> env) {
            events.booted(machine.id(), generation, port);
        }

        @Override
        public void halt(RuntimeEvents events, MachineView machine, long generation, Duration grace) {
            events.halted(machine.id(), generation);
        }

        @Override
        public void suspend(RuntimeEvents events, MachineView machine, long generation) {
            events.halted(machine.id(), generation);
        }

        @Override
        public void resume(RuntimeEvents events, MachineView machine, long generation, Map<String, String> env) {
            events.booted(machine.id(), generation, port);
        }

        @Override
        public void close() {}
    }
}
