package com.employable.flotilla.localfly.machines;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.localfly.apps.Apps;
import com.employable.flotilla.localfly.capacity.Capacity;
import com.employable.flotilla.localfly.capacity.Regions;
import com.employable.flotilla.localfly.leases.Leases;
import com.employable.flotilla.localfly.secrets.Secrets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the state machine asks of the runtime around a suspend: freeze rather than halt, resume rather than boot,
 * and drop the snapshot whenever the machine leaves {@code suspended} other than by a start. Fly's states and events
 * stay what they were.
 */
class SuspendResumeTest {

    private final Clock clock = Clock.systemUTC();
    private final Apps apps = new Apps(clock, "personal");
    private final Secrets secrets = new Secrets(apps, clock);
    private final Leases leases = new Leases(clock);
    private final Machines machines = new Machines(clock, apps, leases, secrets, new Capacity(Map.of()), Regions.fly());
    private final RecordingRuntime runtime = new RecordingRuntime();

    @BeforeEach
    void app() {
        machines.runtime(runtime);
        apps.create("app", "personal", "app");
    }

    private static ObjectNode config() {
        return (ObjectNode) JsonMapper.builder().build().readTree("{\"image\":\"registry.fly.io/x:1\"}");
    }

    private String suspended() {
        String id = machines.create("app", null, "iad", config(), false, null).id();
        RecordingRuntime.Call boot = runtime.lastBoot();
        boot.events().booted(id, boot.generation(), 8080);
        machines.actions().suspend("app", id, null);
        RecordingRuntime.Call suspend = runtime.lastSuspend();
        suspend.events().halted(id, suspend.generation());
        return id;
    }

    private String state(String id) {
        return machines.view("app", id, false).state();
    }

    private List<String> events(String id) {
        return machines.view("app", id, false).events().stream()
                .map(event -> event.type() + ":" + event.status() + ":" + event.source())
                .toList();
    }

    @Test
    void aSuspendFreezesInsteadOfHaltingAndAStartResumesInsteadOfBooting() {
        String id = machines.create("app", null, "iad", config(), false, null).id();
        RecordingRuntime.Call boot = runtime.lastBoot();
        boot.events().booted(id, boot.generation(), 8080);

        machines.actions().suspend("app", id, null);
        assertThat(state(id)).isEqualTo("suspending");
        assertThat(runtime.halts).isEmpty();
        RecordingRuntime.Call suspend = runtime.lastSuspend();
        suspend.events().halted(id, suspend.generation());
        assertThat(state(id)).isEqualTo("suspended");
        assertThat(machines.view("app", id, false).port()).isZero();

        assertThat(machines.actions().start("app", id, null)).isEqualTo("suspended");
        assertThat(state(id)).isEqualTo("starting");
        assertThat(runtime.boots).hasSize(1);
        RecordingRuntime.Call resume = runtime.lastResume();
        assertThat(resume.env()).containsEntry("FLY_MACHINE_ID", id);
        resume.events().booted(id, resume.generation(), 8080);

        assertThat(state(id)).isEqualTo("started");
        assertThat(machines.view("app", id, false).port()).isEqualTo(8080);
        assertThat(events(id))
                .containsExactly(
                        "start:started:flyd",
                        "start:starting:user",
                        "exit:suspended:user",
                        "start:started:flyd",
                        "start:starting:user",
                        "launch:created:user");
        assertThat(runtime.discarded).isEmpty();
    }

    @Test
    void theProxysIdleSweepSuspendsByFreezingToo() {
        ObjectNode config = config();
        config.putArray("services").addObject().put("autostop", "suspend");
        String id = machines.create("app", null, "iad", config, false, null).id();
        RecordingRuntime.Call boot = runtime.lastBoot();
        boot.events().booted(id, boot.generation(), 8080);

        assertThat(machines.autostop().stopIdle(java.time.Duration.ZERO)).isEqualTo(1);

        assertThat(runtime.suspends).hasSize(1);
        assertThat(runtime.halts).isEmpty();
    }

    @Test
    void stoppingASuspendedMachineDiscardsItsSnapshot() {
        String id = suspended();

        machines.actions().stop("app", id, null);

        assertThat(state(id)).isEqualTo("stopped");
        assertThat(runtime.discarded).containsExactly(id);
        machines.actions().start("app", id, null);
        assertThat(runtime.resumes).isEmpty();
        assertThat(runtime.boots).hasSize(2);
    }

    @Test
    void destroyingASuspendedMachineDiscardsItsSnapshot() {
        String id = suspended();

        machines.destroy("app", id, null, false);

        assertThat(machines.view("app", id, true).state()).isEqualTo("destroyed");
        assertThat(runtime.discarded).containsExactly(id);
    }

    @Test
    void updatingASuspendedMachineDiscardsItsSnapshotAndBootsTheNewConfigCold() {
        String id = suspended();

        machines.update("app", id, null, null, null, config(), false);

        assertThat(runtime.discarded).containsExactly(id);
        assertThat(runtime.resumes).isEmpty();
        assertThat(runtime.boots).hasSize(2);
        assertThat(state(id)).isEqualTo("starting");
    }

    @Test
    void aStartedMachineThatIsStoppedIsHaltedNotFrozen() {
        String id = machines.create("app", null, "iad", config(), false, null).id();
        RecordingRuntime.Call boot = runtime.lastBoot();
        boot.events().booted(id, boot.generation(), 8080);

        machines.actions().stop("app", id, null);

        assertThat(runtime.halts).hasSize(1);
        assertThat(runtime.suspends).isEmpty();
        assertThat(runtime.discarded).isEmpty();
    }
}
