package com.employable.flotilla.provisioner.fly;

import com.employable.flotilla.provisioner.fly.FlyModel.CreateMachineRequest;
import com.employable.flotilla.provisioner.fly.FlyModel.ExecRequest;
import com.employable.flotilla.provisioner.fly.FlyModel.ExecResult;
import com.employable.flotilla.provisioner.fly.FlyModel.Lease;
import com.employable.flotilla.provisioner.fly.FlyModel.LeaseRequest;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.fly.FlyModel.MachineConfig;
import com.employable.flotilla.provisioner.fly.FlyModel.MetadataValue;
import com.employable.flotilla.provisioner.fly.FlyModel.StopRequest;
import com.employable.flotilla.provisioner.fly.FlyModel.UpdateMachineRequest;
import com.employable.flotilla.provisioner.fly.FlyModel.WaitResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** {@code /v1/apps/{app}/machines}: one method per endpoint; mutations of an existing machine carry a lease nonce. */
public class FlyMachines {

    public static final String NONCE_HEADER = "fly-machine-lease-nonce";

    private final FlyTransport transport;

    public FlyMachines(FlyTransport transport) {
        this.transport = transport;
    }

    /** Not retried here: a failed create may have created the machine (see the reconciler's create-key lookup). */
    public Machine create(String app, CreateMachineRequest request) {
        return transport.call(FlyCall.of(
                "machines", "machines.create", app, "POST", path(app), request, false, FlyCall.as(Machine.class)));
    }

    public Optional<Machine> get(String app, String machineId) {
        try {
            return Optional.ofNullable(transport.call(FlyCall.of(
                            "machines",
                            "machines.get",
                            machineId,
                            "GET",
                            path(app) + "/" + machineId,
                            null,
                            true,
                            FlyCall.as(Machine.class))
                    .limitClass(FlyProperties.GET_MACHINE)));
        } catch (FlyApiException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public List<Machine> list(String app) {
        return list(app, Map.of());
    }

    /** @param metadata filters {@code metadata.{key}=value}, as flyctl uses to find a machine by its create key */
    public List<Machine> list(String app, Map<String, String> metadata) {
        var call = FlyCall.of("machines", "machines.list", app, "GET", path(app), null, true, FlyMachines::machines);
        metadata.forEach((key, value) -> call.query("metadata." + key, value));
        try {
            return transport.call(call);
        } catch (FlyApiException e) {
            if (e.notFound()) {
                return List.of();
            }
            throw e;
        }
    }

    /** Full config (Fly has no partial update); restarts a running machine, keeps a stopped one stopped. */
    public Machine update(String app, String machineId, MachineConfig config, boolean skipLaunch, String nonce) {
        return transport.call(FlyCall.of(
                        "machines",
                        "machines.update",
                        machineId,
                        "POST",
                        path(app) + "/" + machineId,
                        new UpdateMachineRequest(config, skipLaunch ? Boolean.TRUE : null, null),
                        true,
                        FlyCall.as(Machine.class))
                .header(NONCE_HEADER, nonce));
    }

    public void start(String app, String machineId, String nonce) {
        transport.call(FlyCall.of(
                        "machines",
                        "machines.start",
                        machineId,
                        "POST",
                        path(app) + "/" + machineId + "/start",
                        null,
                        true,
                        FlyCall.none())
                .header(NONCE_HEADER, nonce));
    }

    public void stop(String app, String machineId, String nonce) {
        transport.call(FlyCall.of(
                        "machines",
                        "machines.stop",
                        machineId,
                        "POST",
                        path(app) + "/" + machineId + "/stop",
                        new StopRequest("SIGTERM", "10s"),
                        true,
                        FlyCall.none())
                .header(NONCE_HEADER, nonce));
    }

    public void suspend(String app, String machineId, String nonce) {
        transport.call(FlyCall.of(
                        "machines",
                        "machines.suspend",
                        machineId,
                        "POST",
                        path(app) + "/" + machineId + "/suspend",
                        null,
                        true,
                        FlyCall.none())
                .header(NONCE_HEADER, nonce));
    }

    public void restart(String app, String machineId, String nonce) {
        transport.call(FlyCall.of(
                        "machines",
                        "machines.restart",
                        machineId,
                        "POST",
                        path(app) + "/" + machineId + "/restart",
                        null,
                        true,
                        FlyCall.none())
                .header(NONCE_HEADER, nonce));
    }

    /** Gone already counts as done. */
    public void destroy(String app, String machineId, String nonce) {
        try {
            transport.call(FlyCall.of(
                            "machines",
                            "machines.delete",
                            machineId,
                            "DELETE",
                            path(app) + "/" + machineId,
                            null,
                            true,
                            FlyCall.none())
                    .query("force", true)
                    .header(NONCE_HEADER, nonce));
        } catch (FlyApiException e) {
            if (!e.notFound()) {
                throw e;
            }
        }
    }

    /**
     * Waits for a state on Fly's side; Fly bounds one wait to 60 s and answers 408 when it passes, so this loops until
     * {@code overall} is spent. Empty when the machine never got there.
     */
    public Optional<WaitResult> waitFor(String app, String machineId, String state, Duration overall) {
        long deadline = System.nanoTime() + overall.toNanos();
        while (true) {
            long remaining = Duration.ofNanos(deadline - System.nanoTime()).toSeconds();
            if (remaining < 1) {
                return Optional.empty();
            }
            try {
                return Optional.ofNullable(transport.call(FlyCall.of(
                                "machines",
                                "machines.wait",
                                machineId,
                                "GET",
                                path(app) + "/" + machineId + "/wait",
                                null,
                                false,
                                FlyCall.as(WaitResult.class))
                        .query("state", state)
                        .query("timeout", Math.min(60, remaining))
                        .limitClass(FlyProperties.GET_MACHINE)));
            } catch (FlyApiException e) {
                if (e.status() != 408) {
                    throw e;
                }
            }
        }
    }

    public Lease acquireLease(String app, String machineId, Duration ttl, String description) {
        return transport.call(FlyCall.of(
                "machines",
                "machines.lease",
                machineId,
                "POST",
                path(app) + "/" + machineId + "/lease",
                new LeaseRequest((int) ttl.toSeconds(), description),
                false,
                FlyMachines::lease));
    }

    public void releaseLease(String app, String machineId, String nonce) {
        try {
            transport.call(FlyCall.of(
                            "machines",
                            "machines.lease-release",
                            machineId,
                            "DELETE",
                            path(app) + "/" + machineId + "/lease",
                            null,
                            true,
                            FlyCall.none())
                    .header(NONCE_HEADER, nonce));
        } catch (FlyApiException e) {
            // an expired lease is already released: nothing to undo
            if (!e.notFound() && e.status() != 409) {
                throw e;
            }
        }
    }

    /**
     * Runs a command in a started machine ({@code POST /machines/{id}/exec}); Fly answers 200 even when the command
     * failed, so the result's exit code is what tells. Not retried: a command may have run.
     */
    public ExecResult exec(String app, String machineId, List<String> command, Duration timeout) {
        return exec(app, machineId, command, null, timeout);
    }

    /** As {@link #exec(String, String, List, Duration)}, with {@code stdin} fed to the command. */
    public ExecResult exec(String app, String machineId, List<String> command, String stdin, Duration timeout) {
        return transport.call(FlyCall.of(
                "machines",
                "machines.exec",
                machineId,
                "POST",
                path(app) + "/" + machineId + "/exec",
                new ExecRequest(command, (int) Math.max(1, timeout.toSeconds()), stdin),
                false,
                FlyCall.as(ExecResult.class)));
    }

    /** Sets one metadata key of a machine ({@code POST /machines/{id}/metadata/{key}}): no restart, idempotent. */
    public void setMetadata(String app, String machineId, String key, String value) {
        transport.call(FlyCall.of(
                "machines",
                "machines.metadata-update",
                machineId,
                "POST",
                path(app) + "/" + machineId + "/metadata/" + key,
                new MetadataValue(value),
                true,
                FlyCall.none()));
    }

    private static String path(String app) {
        return "/v1/apps/" + app + "/machines";
    }

    private static List<Machine> machines(JsonNode node) {
        if (node == null || !node.isArray()) {
            return List.of();
        }
        return FlyTransport.JSON.convertValue(
                node, FlyTransport.JSON.getTypeFactory().constructCollectionType(List.class, Machine.class));
    }

    /** Fly's docs show the lease wrapped in {@code {"status":"success","data":{...}}}; the spec shows it bare. */
    private static Lease lease(JsonNode node) {
        JsonNode lease = node != null && node.has("data") ? node.get("data") : node;
        return FlyTransport.JSON.treeToValue(lease, Lease.class);
    }
}
