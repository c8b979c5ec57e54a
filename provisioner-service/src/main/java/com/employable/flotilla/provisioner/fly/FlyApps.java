package com.employable.flotilla.provisioner.fly;

import com.employable.flotilla.provisioner.fly.FlyModel.App;
import com.employable.flotilla.provisioner.fly.FlyModel.AppList;
import com.employable.flotilla.provisioner.fly.FlyModel.CreateAppRequest;
import java.util.Optional;

/** {@code /v1/apps}: one method per endpoint. */
public class FlyApps {

    private final FlyTransport transport;

    public FlyApps(FlyTransport transport) {
        this.transport = transport;
    }

    /**
     * Not idempotent on the wire (422 name_taken on a repeat): the caller resolves that by reading the app. Limited
     * per org (there is no app id yet), across every instance.
     */
    public void create(String name, String network) {
        String org = transport.properties().org();
        transport.call(FlyCall.of(
                        "apps",
                        "apps.create",
                        org,
                        "POST",
                        "/v1/apps",
                        new CreateAppRequest(name, org, network),
                        false,
                        FlyCall.none())
                .limitClass(FlyProperties.CREATE_APP));
    }

    public Optional<App> get(String name) {
        try {
            return Optional.ofNullable(transport.call(FlyCall.of(
                    "apps", "apps.get", name, "GET", "/v1/apps/" + name, null, true, FlyCall.as(App.class))));
        } catch (FlyApiException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public AppList list() {
        String org = transport.properties().org();
        return transport.call(
                FlyCall.of("apps", "apps.list", org, "GET", "/v1/apps", null, true, FlyCall.as(AppList.class))
                        .query("org_slug", org));
    }

    /** 100 a minute per org, across every instance. Cascades to machines, volumes and IPs; {@code force} stops running machines first. A missing app is done. */
    public void delete(String name) {
        try {
            transport.call(FlyCall.of(
                            "apps",
                            "apps.delete",
                            transport.properties().org(),
                            "DELETE",
                            "/v1/apps/" + name,
                            null,
                            true,
                            FlyCall.none())
                    .query("force", true)
                    .limitClass(FlyProperties.DELETE_APP));
        } catch (FlyApiException e) {
            if (!e.notFound()) {
                throw e;
            }
        }
    }
}
