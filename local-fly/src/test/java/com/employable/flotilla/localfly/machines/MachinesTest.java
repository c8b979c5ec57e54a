package com.employable.flotilla.localfly.machines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.localfly.apps.Apps;
import com.employable.flotilla.localfly.capacity.Capacity;
import com.employable.flotilla.localfly.capacity.Regions;
import com.employable.flotilla.localfly.error.FlyError;
import com.employable.flotilla.localfly.leases.Leases;
import com.employable.flotilla.localfly.secrets.Secrets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The machine state machine on its own, driven by what a runtime reports. */
class MachinesTest {

    private final Clock clock = Clock.systemUTC();
    private final Apps apps = new Apps(clock, "personal");
    private final Secrets secrets = new Secrets(apps, clock);
    private final Leases leases = new Leases(clock);
    private final Machines machines =
            new Machines(clock, apps, leases, secrets, new Capacity(Map.of("syd", 1)), Regions.fly());
    private final RecordingRuntime runtime = new RecordingRuntime();

    @BeforeEach
    void app() {
        machines.runtime(runtime);
        apps.create("app", "personal", "app");
    }

    private static ObjectNode config(String restart) {
        return (ObjectNode) JsonMapper.builder()
                .build()
                .readTree("{\"image\":\"registry.fly.io/x:1\"," + "\"env\":{\"MODE\":\"test\"},\"restart\":" + restart
                        + "}");
    }

    private String started(String restart) {
        String id = machines.create("app", null, "iad", config(restart), false, null)
                .id();
        RecordingRuntime.Call boot = runtime.lastBoot();
        boot.events().booted(id, boot.generation(), 8080);
        return id;
    }

    @Test
    void aBootGetsTheConfigEnvTheAppsSecretsAndFlysVariables() {
        secrets.set("app", Map.of("TOKEN", "s3cret"));

        String id =
                machines.create("app", "m1", "iad", config("{}"), false, null).id();

        assertThat(runtime.lastBoot().env())
                .containsEntry("MODE", "test")
                .containsEntry("TOKEN", "s3cret")
                .containsEntry("FLY_APP_NAME", "app")
                .containsEntry("FLY_MACHINE_ID", id)
                .containsEntry("FLY_REGION", "iad");
        assertThat(machines.view("app", id, false).state()).isEqualTo("starting");
    }

    @Test
    void onFailureRestartsUpToMaxRetriesThenTheMachineFails() {
        String id = started("{\"policy\":\"on-failure\",\"max_retries\":1}");

        RecordingRuntime.Call first = runtime.lastBoot();
        first.events().exited(id, first.generation(), 1);
        assertThat(machines.view("app", id, false).state()).isEqualTo("starting");
        RecordingRuntime.Call retry = runtime.lastBoot();
        retry.events().booted(id, retry.generation(), 8081);
        retry.events().exited(id, retry.generation(), 1);

        assertThat(machines.view("app", id, false).state()).isEqualTo("failed");
        assertThat(runtime.boots).hasSize(2);
    }

    @Test
    void aLateReportOfAnEarlierBootChangesNothing() {
        String id = started("{\"policy\":\"no\"}");
        RecordingRuntime.Call firstBoot = runtime.lastBoot();
        machines.actions().stop("app", id, null);
        RecordingRuntime.Call halt = runtime.lastHalt();
        halt.events().halted(id, halt.generation());
        assertThat(machines.view("app", id, false).state()).isEqualTo("stopped");

        firstBoot.events().booted(id, firstBoot.generation(), 9999);
        firstBoot.events().exited(id, firstBoot.generation(), 1);

        assertThat(machines.view("app", id, false).state()).isEqualTo("stopped");
        assertThat(machines.view("app", id, false).port()).isZero();
    }

    @Test
    void aLeasedMachineRefusesActionsWithoutItsNonce() {
        String id = started("{}");
        String nonce = leases.acquire(id, null, 30, "test").nonce();

        assertThatThrownBy(() -> machines.actions().restart("app", id, "other"))
                .isInstanceOfSatisfying(
                        FlyError.class, e -> assertThat(e.httpStatus()).isEqualTo(409));
        machines.actions().restart("app", id, nonce);
        assertThat(machines.view("app", id, false).state()).isEqualTo("restarting");
    }

    @Test
    void aRegionAtCapacityRefusesTheNextCreateAndAPrioritisedListFallsBackInItsOrder() {
        machines.create("app", null, "syd", config("{}"), true, null);

        assertThatThrownBy(() -> machines.create("app", null, "syd", config("{}"), true, null))
                .isInstanceOfSatisfying(FlyError.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(412);
                    assertThat(e.flyStatus()).isEqualTo("insufficient_capacity");
                });
        assertThat(machines.create("app", null, "syd,nrt,sin", config("{}"), true, null)
                        .region())
                .isEqualTo("nrt");
        assertThat(machines.create("app", null, "syd,eu", config("{}"), true, null)
                        .region())
                .as("an alias stands for its regions")
                .isIn("ams", "arn", "cdg", "fra", "lhr");
    }

    @Test
    void aRegionFlyDoesNotHaveIsRefusedAsFlyRefusesIt() {
        for (String region : new String[] {"mars", "iad,mars", "au"}) {
            assertThatThrownBy(() -> machines.create("app", null, region, config("{}"), true, null))
                    .isInstanceOfSatisfying(FlyError.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(422);
                        assertThat(e.getMessage()).matches("region (mars|au) not found");
                    });
        }
        assertThat(machines.list("app", true, machine -> true)).isEmpty();
    }
}
