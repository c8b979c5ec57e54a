package com.employable.flotilla.localfly.machines;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.localfly.apps.Apps;
import com.employable.flotilla.localfly.capacity.Capacity;
import com.employable.flotilla.localfly.capacity.Regions;
import com.employable.flotilla.localfly.leases.Leases;
import com.employable.flotilla.localfly.secrets.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The proxy's idle check on a clock the test moves: each plan's service policy (suspend, stop, a minimum kept
 * running), Fly's field names, one machine per app and region per pass, and a request in flight as load.
 */
class AutostopTest {

    private static final Duration WINDOW = Duration.ofSeconds(30);

    private final MovingClock clock = new MovingClock();
    private final Apps apps = new Apps(clock, "personal");
    private final Machines machines = new Machines(
            clock, apps, new Leases(clock), new Secrets(apps, clock), new Capacity(Map.of()), Regions.fly());
    private final RecordingRuntime runtime = new RecordingRuntime();

    @BeforeEach
    void app() {
        machines.runtime(runtime);
        apps.create("app", "personal", "app");
    }

    private String started(String service) {
        ObjectNode config = (ObjectNode) JsonMapper.builder()
                .build()
                .readTree("{\"image\":\"registry.fly.io/x:1\",\"services\":[" + service + "]}");
        String id = machines.create("app", null, "iad", config, false, null).id();
        RecordingRuntime.Call boot = runtime.lastBoot();
        boot.events().booted(id, boot.generation(), 8080);
        return id;
    }

    /** What the runtime does once asked to halt or freeze: report it done. */
    private void haltsComplete() {
        runtime.halts.forEach(call -> call.events().halted(call.machine().id(), call.generation()));
        runtime.suspends.forEach(call -> call.events().halted(call.machine().id(), call.generation()));
    }

    private String state(String id) {
        return machines.view("app", id, false).state();
    }

    @Test
    void theStarterPlanSuspendsAnIdleMachineAndOnlyOnceTheWindowHasPassed() {
        String id = started("{\"autostop\":\"suspend\",\"autostart\":true,\"min_machines_running\":0}");

        clock.advance(WINDOW.minusSeconds(1));
        assertThat(machines.autostop().stopIdle(WINDOW)).isZero();
        clock.advance(Duration.ofSeconds(2));
        assertThat(machines.autostop().stopIdle(WINDOW)).isEqualTo(1);
        haltsComplete();

        assertThat(state(id)).isEqualTo("suspended");
        assertThat(runtime.suspends).hasSize(1);
        assertThat(runtime.halts).isEmpty();
    }

    @Test
    void theTeamPlanStopsAnIdleMachine() {
        String id = started("{\"autostop\":\"stop\",\"autostart\":true,\"min_machines_running\":0}");

        clock.advance(WINDOW.plusSeconds(1));
        assertThat(machines.autostop().stopIdle(WINDOW)).isEqualTo(1);
        haltsComplete();

        assertThat(state(id)).isEqualTo("stopped");
        assertThat(runtime.suspends).isEmpty();
    }

    @Test
    void theBusinessPlanKeepsItsMinimumRunningPassAfterPassAndStopsOneMachinePerPass() {
        String service = "{\"autostop\":\"stop\",\"autostart\":true,\"min_machines_running\":1}";
        String first = started(service);
        String second = started(service);
        String third = started(service);

        clock.advance(WINDOW.plusSeconds(1));
        assertThat(machines.autostop().stopIdle(WINDOW))
                .as("Fly stops one machine per region per pass")
                .isEqualTo(1);
        haltsComplete();
        for (int pass = 0; pass < 5; pass++) {
            clock.advance(WINDOW);
            machines.autostop().stopIdle(WINDOW);
            haltsComplete();
        }

        assertThat(java.util.List.of(state(first), state(second), state(third)))
                .containsOnly("started", "stopped")
                .containsOnlyOnce("started");
    }

    @Test
    void booleansAreAcceptedAndAServiceWithoutAutostopIsNeverStopped() {
        String stops = started("{\"autostop\":true}");
        String off = started("{\"autostop\":false}");
        String unset = started("{}");
        String flyTomlSpelling = started("{\"autostop_machines\":\"stop\",\"auto_stop_machines\":\"stop\"}");

        for (int pass = 0; pass < 4; pass++) {
            clock.advance(WINDOW.plusSeconds(1));
            machines.autostop().stopIdle(WINDOW);
            haltsComplete();
        }

        assertThat(state(stops)).isEqualTo("stopped");
        assertThat(state(off)).isEqualTo("started");
        assertThat(state(unset)).isEqualTo("started");
        assertThat(state(flyTomlSpelling))
                .as("not Machines API fields: Fly ignores them")
                .isEqualTo("started");
    }

    @Test
    void aRequestInFlightIsLoadAndItsEndStartsTheIdleWindow() {
        String id = started("{\"autostop\":\"stop\"}");

        Autostop.Activity request = machines.autostop().requestStarted(id);
        clock.advance(WINDOW.multipliedBy(3));
        assertThat(machines.autostop().stopIdle(WINDOW))
                .as("a long request (an SSE stream) keeps its machine busy")
                .isZero();
        request.close();
        clock.advance(WINDOW.minusSeconds(1));
        assertThat(machines.autostop().stopIdle(WINDOW)).isZero();
        clock.advance(Duration.ofSeconds(2));
        assertThat(machines.autostop().stopIdle(WINDOW)).isEqualTo(1);
    }

    @Test
    void aMachineStartedByTheApiGetsAWholeWindowAfterItsLastRequestLongAgo() {
        String id = started("{\"autostop\":\"stop\"}");
        machines.autostop().requestStarted(id).close();
        clock.advance(WINDOW.plusSeconds(1));
        machines.autostop().stopIdle(WINDOW);
        haltsComplete();
        assertThat(state(id)).isEqualTo("stopped");

        machines.actions().start("app", id, null);
        RecordingRuntime.Call boot = runtime.lastBoot();
        boot.events().booted(id, boot.generation(), 8080);
        clock.advance(Duration.ofSeconds(1));

        assertThat(machines.autostop().stopIdle(WINDOW)).isZero();
    }

    /** A clock the test moves by hand. */
    static final class MovingClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
