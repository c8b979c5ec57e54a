package com.employable.flotilla.provisioner.fly;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Fly Machines API's JSON as records. Property names follow Fly's snake_case through the mapper's naming
 * strategy; unknown fields are ignored, so a richer response from Fly never breaks parsing.
 */
public final class FlyModel {

    private FlyModel() {}

    public record App(
            String id, String name, String status, String network, Organization organization, Integer machineCount) {}

    public record Organization(String name, String slug) {}

    /**
     * One app of the org's list. Fly's spec types {@code network} as an object while its docs show a name, so it is
     * read as whatever it is: only a string is taken as the network's name.
     */
    public record ListApp(String id, String name, Integer machineCount, Object network) {
        public java.util.Optional<String> networkName() {
            return network instanceof String name && !name.isBlank()
                    ? java.util.Optional.of(name)
                    : java.util.Optional.empty();
        }
    }

    public record AppList(Integer totalApps, List<ListApp> apps) {
        public List<ListApp> apps() {
            return apps == null ? List.of() : apps;
        }
    }

    public record CreateAppRequest(String appName, String orgSlug, String network) {}

    public record Machine(
            String id,
            String name,
            String state,
            String region,
            String instanceId,
            String privateIp,
            MachineConfig config,
            ImageRef imageRef,
            String createdAt,
            String updatedAt,
            List<MachineEvent> events,
            String nonce) {

        public Map<String, String> metadata() {
            return config == null || config.metadata() == null ? Map.of() : config.metadata();
        }

        /** When the machine last changed, by Fly's clock: its newest event, else updated_at. */
        public Instant changedAt(Instant fallback) {
            if (events != null) {
                long newest = events.stream()
                        .mapToLong(event -> event.timestamp() == null ? 0 : event.timestamp())
                        .max()
                        .orElse(0);
                if (newest > 0) {
                    return Instant.ofEpochMilli(newest);
                }
            }
            try {
                return updatedAt == null ? fallback : Instant.parse(updatedAt);
            } catch (RuntimeException unparsable) {
                return fallback;
            }
        }
    }

    public record ImageRef(String registry, String repository, String tag, String digest) {}

    public record MachineEvent(String id, String type, String status, String source, Long timestamp) {}

    public record MachineConfig(
            String image,
            Guest guest,
            Map<String, String> env,
            List<Service> services,
            Map<String, Check> checks,
            Map<String, String> metadata,
            Restart restart,
            Boolean autoDestroy) {}

    public record Guest(String cpuKind, int cpus, int memoryMb) {}

    /**
     * One service of a machine config, with the proxy's idle policy under the Machines API's names ({@code autostop},
     * {@code autostart}, {@code min_machines_running}; fly.toml's {@code auto_stop_machines} is flyctl's, not the
     * API's).
     */
    public record Service(
            String protocol,
            int internalPort,
            List<Port> ports,
            Autostop autostop,
            Boolean autostart,
            Integer minMachinesRunning) {}

    public record Port(Integer port, List<String> handlers) {}

    /**
     * A machine check, run by flyd next to the machine while it runs, never through Fly Proxy; its result is in the
     * machine's {@code checks[]}. Durations are Fly's strings ({@code "15s"}); {@code headers} (HTTP checks only, may
     * be null) are static: they are part of the machine's config, readable by anyone who can read the machine.
     */
    public record Check(
            String type,
            Integer port,
            String path,
            String method,
            String interval,
            String timeout,
            String gracePeriod,
            List<CheckHeader> headers) {}

    /** One header an HTTP check sends: a name and its values (Fly's {@code MachineHTTPHeader}). */
    public record CheckHeader(String name, List<String> values) {}

    public record Restart(String policy, Integer maxRetries) {}

    /** Fly accepts {@code "off" | "stop" | "suspend"} and, from older configs, a boolean. */
    public enum Autostop {
        OFF("off"),
        STOP("stop"),
        SUSPEND("suspend");

        private final String wire;

        Autostop(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }

        @JsonCreator
        public static Autostop from(Object value) {
            if (value instanceof Boolean enabled) {
                return enabled ? STOP : OFF;
            }
            for (Autostop mode : values()) {
                if (mode.wire.equals(String.valueOf(value))) {
                    return mode;
                }
            }
            return OFF;
        }
    }

    public record CreateMachineRequest(
            String name, String region, MachineConfig config, Boolean skipLaunch, Integer leaseTtl) {}

    public record UpdateMachineRequest(MachineConfig config, Boolean skipLaunch, String currentVersion) {}

    public record Lease(String nonce, Long expiresAt, String owner, String description, String version) {}

    public record LeaseRequest(int ttl, String description) {}

    public record WaitResult(Boolean ok, String state, String version, String eventId) {}

    public record StopRequest(String signal, String timeout) {}

    public record IpAssignment(String ip, String region, Boolean shared, String serviceName, String type) {}

    public record IpAssignments(List<IpAssignment> ips) {
        public List<IpAssignment> ips() {
            return ips == null ? List.of() : ips;
        }
    }

    public record IpAssignmentRequest(String type, String network, String region, String orgSlug) {}

    /** A null value unsets the secret: the content inclusion keeps nulls in the map. */
    public record SecretsUpdate(
            @com.fasterxml.jackson.annotation.JsonInclude(
                    content = com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
            Map<String, String> values) {}

    public record SecretsUpdateResult(Long version) {}

    public record Secret(String name, String digest) {}

    public record Secrets(List<Secret> secrets) {
        public List<Secret> secrets() {
            return secrets == null ? List.of() : secrets;
        }
    }

    /**
     * {@code POST /machines/{id}/exec}: the command, its bound in seconds, and what it reads on standard input (how a
     * secret reaches a file without ever being in a command line, which a process list would show).
     */
    public record ExecRequest(List<String> command, Integer timeout, String stdin) {
        @Override
        public String toString() {
            return "ExecRequest[command=" + command + ", timeout=" + timeout + ", stdin="
                    + (stdin == null ? "none" : stdin.length() + " chars") + "]";
        }
    }

    /** {@code POST /machines/{id}/metadata/{key}}: one key's new value (204). */
    public record MetadataValue(String value) {}

    /** Fly answers 200 whatever the command did: the exit code tells. */
    public record ExecResult(Integer exitCode, Integer exitSignal, String stdout, String stderr) {
        public boolean succeeded() {
            return exitCode != null && exitCode == 0;
        }
    }
}
