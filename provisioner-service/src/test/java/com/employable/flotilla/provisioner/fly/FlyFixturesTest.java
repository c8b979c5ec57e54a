package com.employable.flotilla.provisioner.fly;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The client's records read Fly's own example responses: snake_case, unknown fields, nested config. */
class FlyFixturesTest {

    @Test
    void readsACreatedMachine() throws IOException {
        Machine machine = read("machines_create_resp.json", Machine.class);
        assertThat(machine.id()).isEqualTo("1857156b526dd8");
        assertThat(machine.state()).isEqualTo("created");
        assertThat(machine.region()).isEqualTo("ord");
        assertThat(machine.instanceId()).isEqualTo("01HEPA330HZ37A78TK080NAK1M");
        assertThat(machine.privateIp()).startsWith("fdaa:");
        assertThat(machine.config().guest()).isEqualTo(new FlyModel.Guest("shared", 1, 256));
        assertThat(machine.config().restart().policy()).isEqualTo("always");
        assertThat(machine.imageRef().digest()).startsWith("sha256:");
        // the change time comes from Fly's newest event (milliseconds), not from our clock
        assertThat(machine.changedAt(null).toEpochMilli()).isEqualTo(1699408350300L);
    }

    @Test
    void readsServicesMetadataAndChecks() throws IOException {
        Machine machine = read("machines_create_serv_resp.json", Machine.class);
        FlyModel.Service service = machine.config().services().get(0);
        assertThat(service.internalPort()).isEqualTo(8080);
        assertThat(service.protocol()).isEqualTo("tcp");
        assertThat(service.ports()).extracting(FlyModel.Port::port).containsExactly(443, 80);
        assertThat(service.ports().get(0).handlers()).containsExactly("tls", "http");
        assertThat(machine.config().checks()).isNotEmpty();
        assertThat(machine.config().env()).isNotNull();
    }

    @Test
    void readsAnUpdatedMachine() throws IOException {
        Machine machine = read("machines_update_resp.json", Machine.class);
        assertThat(machine.id()).isNotBlank();
        assertThat(machine.config().image()).isNotBlank();
    }

    @Test
    void readsAWrappedLeaseAndAStartAnswer() throws IOException {
        var node = FlyTransport.JSON.readTree(bytes("machines_lease_create_resp.json"));
        FlyModel.Lease lease = FlyTransport.JSON.treeToValue(node.get("data"), FlyModel.Lease.class);
        assertThat(lease.nonce()).isEqualTo("5c35f65c9f95");
        assertThat(lease.expiresAt()).isEqualTo(1708569778L);
        assertThat(FlyTransport.JSON
                        .readTree(bytes("machines_start_resp.json"))
                        .path("previous_state")
                        .asString())
                .isEqualTo("stopped");
    }

    @Test
    void idlePolicyTravelsUnderTheMachinesApisNamesAndAutostopReadsBothForms() {
        // responses use booleans for off/stop, requests the strings
        assertThat(FlyTransport.JSON
                        .readValue("{\"autostop\":true}", FlyModel.Service.class)
                        .autostop())
                .isEqualTo(FlyModel.Autostop.STOP);
        assertThat(FlyTransport.JSON
                        .readValue("{\"autostop\":\"suspend\"}", FlyModel.Service.class)
                        .autostop())
                .isEqualTo(FlyModel.Autostop.SUSPEND);
        assertThat(new String(FlyJson.write(new FlyModel.Service("tcp", 8080, null, FlyModel.Autostop.STOP, true, 1))))
                .contains("\"autostop\":\"stop\"")
                .contains("\"autostart\":true")
                .contains("\"min_machines_running\":1")
                .contains("\"internal_port\":8080")
                .doesNotContain("autostop_machines")
                .doesNotContain("ports");
    }

    private static <T> T read(String name, Class<T> type) throws IOException {
        return FlyTransport.JSON.readValue(bytes(name), type);
    }

    private static byte[] bytes(String name) throws IOException {
        try (InputStream in = FlyFixturesTest.class.getResourceAsStream("/fly-fixtures/" + name)) {
            return in.readAllBytes();
        }
    }
}
