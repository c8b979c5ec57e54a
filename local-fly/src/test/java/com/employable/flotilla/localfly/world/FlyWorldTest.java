package com.employable.flotilla.localfly.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.localfly.error.FlyError;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The operations that span resources. */
class FlyWorldTest {

    private final FlyWorld world = new FlyWorld(Clock.systemUTC(), "personal", Map.of());

    private String machine(String app) {
        ObjectNode config = (ObjectNode) JsonMapper.builder().build().readTree("{\"image\":\"x\"}");
        return world.machines().create(app, null, "iad", config, true, null).id();
    }

    @Test
    void deletingAnAppTakesItsMachinesLeasesSecretsAndIpsWithIt() {
        world.apps().create("app", null, "app");
        String id = machine("app");
        world.acquireLease("app", id, null, 30, null);
        world.secrets().set("app", Map.of("A", "one"));
        world.ips().assign("app", "private_v6", "app", null);

        world.deleteApp("app", false);
        world.apps().create("app", null, "app");

        assertThat(world.machines().list("app", true, machine -> true))
                .singleElement()
                .satisfies(machine -> assertThat(machine.state()).isEqualTo("destroyed"));
        assertThat(world.leases().find(id)).isEmpty();
        assertThat(world.secrets().of("app").secrets()).isEmpty();
        assertThat(world.ips().of("app")).isEmpty();
        assertThat(world.machines().countOf("app")).isZero();
    }

    @Test
    void aLeaseNeedsALiveMachineOfThatApp() {
        world.apps().create("app", null, null);
        world.apps().create("other", null, null);
        String id = machine("app");

        assertThatThrownBy(() -> world.acquireLease("other", id, null, 30, null))
                .isInstanceOfSatisfying(
                        FlyError.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
        assertThatThrownBy(() -> world.acquireLease("app", id, null, 0, null))
                .isInstanceOfSatisfying(
                        FlyError.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
        world.machines().destroy("app", id, null, false);
        assertThatThrownBy(() -> world.lease("app", id))
                .isInstanceOfSatisfying(
                        FlyError.class, e -> assertThat(e.getMessage()).contains("machine"));
    }
}
