package com.employable.flotilla.localfly.api;

import com.employable.flotilla.localfly.faults.Faults;
import com.employable.flotilla.localfly.http.RouteTable;
import com.employable.flotilla.localfly.limits.RateLimits;
import com.employable.flotilla.localfly.world.FlyWorld;

/** Every endpoint local-fly serves, in one table each: Fly's Machines API and local-fly's admin API. */
final class FlyRoutes {

    private FlyRoutes() {}

    static RouteTable machinesApi(FlyWorld world) {
        var apps = new AppRoutes(world);
        var machines = new MachineRoutes(world.machines(), world.leases(), world.checks());
        var waits = new WaitRoute(world.machines());
        var leases = new LeaseRoutes(world);
        var secrets = new SecretRoutes(world.secrets());
        var ips = new IpRoutes(world.ips());
        return RouteTable.builder()
                .get("/v1/apps", apps::list)
                .post("/v1/apps", apps::create)
                .get("/v1/apps/{app}", apps::get)
                .delete("/v1/apps/{app}", apps::delete)
                .get("/v1/apps/{app}/machines", machines::list)
                .post("/v1/apps/{app}/machines", machines::create)
                .get("/v1/apps/{app}/machines/{id}", machines::get)
                .post("/v1/apps/{app}/machines/{id}", machines::update)
                .delete("/v1/apps/{app}/machines/{id}", machines::destroy)
                .post("/v1/apps/{app}/machines/{id}/start", machines::start)
                .post("/v1/apps/{app}/machines/{id}/stop", machines::stop)
                .post("/v1/apps/{app}/machines/{id}/suspend", machines::suspend)
                .post("/v1/apps/{app}/machines/{id}/restart", machines::restart)
                .get("/v1/apps/{app}/machines/{id}/wait", waits::waitFor)
                .get("/v1/apps/{app}/machines/{id}/events", machines::events)
                .post("/v1/apps/{app}/machines/{id}/exec", machines::exec)
                .get("/v1/apps/{app}/machines/{id}/metadata", machines::metadata)
                .post("/v1/apps/{app}/machines/{id}/metadata/{key}", machines::setMetadata)
                .post("/v1/apps/{app}/machines/{id}/lease", leases::acquire)
                .get("/v1/apps/{app}/machines/{id}/lease", leases::get)
                .delete("/v1/apps/{app}/machines/{id}/lease", leases::release)
                .get("/v1/apps/{app}/secrets", secrets::list)
                .post("/v1/apps/{app}/secrets", secrets::set)
                .get("/v1/apps/{app}/secrets/{name}", secrets::getOne)
                .post("/v1/apps/{app}/secrets/{name}", secrets::setOne)
                .delete("/v1/apps/{app}/secrets/{name}", secrets::deleteOne)
                .get("/v1/apps/{app}/ip_assignments", ips::list)
                .post("/v1/apps/{app}/ip_assignments", ips::assign)
                .delete("/v1/apps/{app}/ip_assignments/{ip}", ips::release)
                .build();
    }

    static RouteTable admin(FlyWorld world, RateLimits limits, Faults faults) {
        var admin = new AdminRoutes(world, limits, faults);
        var states = new MachineStatesRoute(world.machines(), world.clock());
        return RouteTable.builder()
                .get("/_admin/faults", admin::faults)
                .post("/_admin/faults", admin::addFault)
                .delete("/_admin/faults", admin::clearFaults)
                .get("/_admin/rate-limits", admin::rateLimits)
                .delete("/_admin/rate-limits", admin::resetRateLimits)
                .get("/_admin/capacity", admin::capacity)
                .post("/_admin/capacity", admin::setCapacity)
                .post("/_admin/autostop", admin::autostop)
                .get("/_admin/machine-states", states::timeline)
                .build();
    }
}
