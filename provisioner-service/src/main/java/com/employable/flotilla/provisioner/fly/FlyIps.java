package com.employable.flotilla.provisioner.fly;

import com.employable.flotilla.provisioner.fly.FlyModel.IpAssignment;
import com.employable.flotilla.provisioner.fly.FlyModel.IpAssignmentRequest;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** {@code /v1/apps/{app}/ip_assignments}. */
public class FlyIps {

    private final FlyTransport transport;

    public FlyIps(FlyTransport transport) {
        this.transport = transport;
    }

    public List<IpAssignment> list(String app) {
        return transport.call(FlyCall.of(
                "ips", "ips.list", app, "GET", "/v1/apps/" + app + "/ip_assignments", null, true, FlyIps::assignments));
    }

    /**
     * @param network for {@code private_v6} (Flycast) the app's own network: Fly does not default it, and an address
     *                in the org's default network could not reach the isolated app
     */
    public IpAssignment assign(String app, String type, String network) {
        return transport.call(FlyCall.of(
                "ips",
                "ips.assign",
                app,
                "POST",
                "/v1/apps/" + app + "/ip_assignments",
                new IpAssignmentRequest(type, network, null, null),
                false,
                FlyCall.as(IpAssignment.class)));
    }

    private static List<IpAssignment> assignments(JsonNode node) {
        if (node == null) {
            return List.of();
        }
        JsonNode array = node.isArray() ? node : node.path("ips");
        if (!array.isArray()) {
            return List.of();
        }
        return FlyTransport.JSON.convertValue(
                array, FlyTransport.JSON.getTypeFactory().constructCollectionType(List.class, IpAssignment.class));
    }
}
