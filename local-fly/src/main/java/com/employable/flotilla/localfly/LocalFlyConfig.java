package com.employable.flotilla.localfly;

import com.employable.flotilla.localfly.runtime.SimulatedLatencies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How local-fly runs. From the environment for {@code java -jar}; built directly by tests that embed it.
 *
 * @param apiPort       Fly Machines API port (0 = any free port)
 * @param proxyPort     Fly-Proxy emulation port (0 = any free port)
 * @param token         the bearer token the API requires
 * @param runtime       {@code process} (machines are local processes) or {@code simulated}
 * @param dataDir       per-machine log files
 * @param teamServerJar the team server's jar, run for images named like {@code *team-mcp-server*}
 * @param imageMap      {@code prefix=command;...}, see {@code ImageMap}
 * @param capacity      machines allowed per region; regions not listed are unbounded
 * @param regions       the regions machines may be placed in; empty means Fly's ({@code Regions.FLY})
 * @param autostopIdle  the proxy stops (or suspends) machines idle this long, per their service's autostop
 *                      ({@code LOCAL_FLY_AUTOSTOP_IDLE_SECONDS}, 300 by default)
 * @param autostopCheck how often the proxy looks for idle machines ({@code LOCAL_FLY_AUTOSTOP_CHECK_SECONDS})
 * @param rateLimits    enforce Fly's documented rate limits
 * @param faultSeed     seed of the fault dice, so a faulty run can be replayed
 * @param simulated     the simulated runtime's latencies, and the API's for machine calls
 */
public record LocalFlyConfig(
        int apiPort,
        int proxyPort,
        String token,
        String runtime,
        Path dataDir,
        Optional<Path> teamServerJar,
        String imageMap,
        Map<String, Integer> capacity,
        List<String> regions,
        Duration autostopIdle,
        Duration autostopCheck,
        boolean rateLimits,
        long faultSeed,
        SimulatedLatencies simulated) {

    public static final String DEFAULT_TOKEN = "local-fly-dev-token";

    public LocalFlyConfig {
        if (!"process".equals(runtime) && !"simulated".equals(runtime)) {
            throw new IllegalArgumentException("LOCAL_FLY_RUNTIME must be process or simulated, not " + runtime);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a token is required");
        }
        if (autostopIdle == null || autostopIdle.toSeconds() < 1) {
            throw new IllegalArgumentException(
                    "LOCAL_FLY_AUTOSTOP_IDLE_SECONDS must be at least 1, not " + autostopIdle);
        }
        if (autostopCheck == null || autostopCheck.toSeconds() < 1) {
            throw new IllegalArgumentException(
                    "LOCAL_FLY_AUTOSTOP_CHECK_SECONDS must be at least 1, not " + autostopCheck);
        }
        capacity = Map.copyOf(capacity);
        regions = List.copyOf(regions);
    }

    /**
     * The idle check's period when none is set: every 5 s, or every quarter of a shorter idle window (at least every
     * second), so a machine sleeps between one and 1.25 windows after its last proxied request.
     */
    static Duration defaultCheck(Duration idle) {
        return Duration.ofSeconds(Math.min(5, Math.max(1, idle.toSeconds() / 4)));
    }

    /** For tests: ephemeral ports, simulated machines with short latencies. */
    public static LocalFlyConfig simulated(Path dataDir) {
        Duration idle = Duration.ofMinutes(5);
        return new LocalFlyConfig(
                0,
                0,
                DEFAULT_TOKEN,
                "simulated",
                dataDir,
                Optional.empty(),
                null,
                Map.of(),
                List.of(),
                idle,
                defaultCheck(idle),
                true,
                42,
                SimulatedLatencies.fast());
    }

    public LocalFlyConfig withRuntime(String runtime, Optional<Path> teamServerJar, String imageMap) {
        return edit(b -> {
            b.runtime = runtime;
            b.teamServerJar = teamServerJar;
            b.imageMap = imageMap;
        });
    }

    public LocalFlyConfig withCapacity(Map<String, Integer> capacity) {
        return edit(b -> b.capacity = capacity);
    }

    public LocalFlyConfig withRegions(List<String> regions) {
        return edit(b -> b.regions = regions);
    }

    /** The proxy's idle window, with the check period that goes with it by default. */
    public LocalFlyConfig withAutostopIdle(Duration autostopIdle) {
        return edit(b -> {
            b.autostopIdle = autostopIdle;
            b.autostopCheck = defaultCheck(autostopIdle);
        });
    }

    public LocalFlyConfig withAutostopCheck(Duration autostopCheck) {
        return edit(b -> b.autostopCheck = autostopCheck);
    }

    public LocalFlyConfig withSimulated(SimulatedLatencies simulated) {
        return edit(b -> b.simulated = simulated);
    }

    public static LocalFlyConfig fromEnv(Map<String, String> env) {
        Duration idle = seconds(env, "LOCAL_FLY_AUTOSTOP_IDLE_SECONDS").orElse(Duration.ofSeconds(300));
        return new LocalFlyConfig(
                Integer.parseInt(env.getOrDefault("PORT", "4280")),
                Integer.parseInt(env.getOrDefault("LOCAL_FLY_PROXY_PORT", "4281")),
                env.getOrDefault("LOCAL_FLY_TOKEN", DEFAULT_TOKEN),
                env.getOrDefault("LOCAL_FLY_RUNTIME", "process"),
                Path.of(env.getOrDefault("LOCAL_FLY_DATA_DIR", ".local-fly")),
                Optional.ofNullable(env.get("LOCAL_FLY_TEAM_SERVER_JAR"))
                        .filter(v -> !v.isBlank())
                        .map(Path::of),
                env.get("LOCAL_FLY_IMAGE_MAP"),
                capacity(env.getOrDefault("LOCAL_FLY_CAPACITY", "")),
                Arrays.stream(env.getOrDefault("LOCAL_FLY_REGIONS", "").split(","))
                        .map(String::trim)
                        .filter(code -> !code.isEmpty())
                        .toList(),
                idle,
                seconds(env, "LOCAL_FLY_AUTOSTOP_CHECK_SECONDS").orElse(defaultCheck(idle)),
                !"false".equalsIgnoreCase(env.getOrDefault("LOCAL_FLY_RATE_LIMITS", "true")),
                Long.parseLong(env.getOrDefault("LOCAL_FLY_FAULT_SEED", "42")),
                SimulatedLatencies.fromEnv(env));
    }

    private static Optional<Duration> seconds(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of seconds, not " + value);
        }
    }

    static Map<String, Integer> capacity(String spec) {
        var capacity = new LinkedHashMap<String, Integer>();
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split("=");
            if (parts.length != 2) {
                throw new IllegalArgumentException("LOCAL_FLY_CAPACITY entries are region=machines: " + entry);
            }
            capacity.put(parts[0].trim(), Integer.parseInt(parts[1].trim()));
        }
        return capacity;
    }

    private LocalFlyConfig edit(Consumer<Builder> change) {
        Builder builder = new Builder(this);
        change.accept(builder);
        return builder.build();
    }

    /** A copy to change a few components of, for the {@code with...} methods. */
    private static final class Builder {
        private final LocalFlyConfig from;
        String runtime;
        Optional<Path> teamServerJar;
        String imageMap;
        Map<String, Integer> capacity;
        List<String> regions;
        Duration autostopIdle;
        Duration autostopCheck;
        SimulatedLatencies simulated;

        Builder(LocalFlyConfig from) {
            this.from = from;
            runtime = from.runtime;
            teamServerJar = from.teamServerJar;
            imageMap = from.imageMap;
            capacity = from.capacity;
            regions = from.regions;
            autostopIdle = from.autostopIdle;
            autostopCheck = from.autostopCheck;
            simulated = from.simulated;
        }

        LocalFlyConfig build() {
            return new LocalFlyConfig(
                    from.apiPort,
                    from.proxyPort,
                    from.token,
                    runtime,
                    from.dataDir,
                    teamServerJar,
                    imageMap,
                    capacity,
                    regions,
                    autostopIdle,
                    autostopCheck,
                    from.rateLimits,
                    from.faultSeed,
                    simulated);
        }
    }
}
