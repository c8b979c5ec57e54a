package com.employable.flotilla.localfly;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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
 * @param autostopIdle  the proxy stops (or suspends) machines idle this long, per their service's autostop
 *                      ({@code LOCAL_FLY_AUTOSTOP_IDLE_SECONDS}, 300 by default; swept every quarter of it)
 * @param rateLimits    enforce Fly's documented rate limits
 * @param faultSeed     seed of the fault dice, so a faulty run can be replayed
 * @param simulatedFirstBoot simulated runtime: create to started
 * @param simulatedStart simulated runtime: stopped to started
 * @param simulatedResume simulated runtime: suspended to started
 * @param simulatedHalt simulated runtime: started to stopped or suspended
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
        Duration autostopIdle,
        boolean rateLimits,
        long faultSeed,
        Duration simulatedFirstBoot,
        Duration simulatedStart,
        Duration simulatedResume,
        Duration simulatedHalt) {

    public static final String DEFAULT_TOKEN = "local-fly-dev-token";

    public LocalFlyConfig {
        if (!"process".equals(runtime) && !"simulated".equals(runtime)) {
            throw new IllegalArgumentException("LOCAL_FLY_RUNTIME must be process or simulated, not " + runtime);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a token is required");
        }
        if (autostopIdle == null || autostopIdle.isNegative() || autostopIdle.isZero()) {
            throw new IllegalArgumentException(
                    "LOCAL_FLY_AUTOSTOP_IDLE_SECONDS must be at least 1, not " + autostopIdle);
        }
        capacity = Map.copyOf(capacity);
    }

    /** For tests: ephemeral ports, simulated machines with short latencies. */
    public static LocalFlyConfig simulated(Path dataDir) {
        return new LocalFlyConfig(
                0,
                0,
                DEFAULT_TOKEN,
                "simulated",
                dataDir,
                Optional.empty(),
                null,
                Map.of(),
                Duration.ofMinutes(5),
                true,
                42,
                Duration.ofMillis(300),
                Duration.ofMillis(100),
                Duration.ofMillis(50),
                Duration.ofMillis(50));
    }

    public LocalFlyConfig withRuntime(String runtime, Optional<Path> teamServerJar, String imageMap) {
        return new LocalFlyConfig(
                apiPort,
                proxyPort,
                token,
                runtime,
                dataDir,
                teamServerJar,
                imageMap,
                capacity,
                autostopIdle,
                rateLimits,
                faultSeed,
                simulatedFirstBoot,
                simulatedStart,
                simulatedResume,
                simulatedHalt);
    }

    public LocalFlyConfig withCapacity(Map<String, Integer> capacity) {
        return new LocalFlyConfig(
                apiPort,
                proxyPort,
                token,
                runtime,
                dataDir,
                teamServerJar,
                imageMap,
                capacity,
                autostopIdle,
                rateLimits,
                faultSeed,
                simulatedFirstBoot,
                simulatedStart,
                simulatedResume,
                simulatedHalt);
    }

    /** The proxy's idle window: machines without proxied traffic this long are stopped or suspended. */
    public LocalFlyConfig withAutostopIdle(Duration autostopIdle) {
        return new LocalFlyConfig(
                apiPort,
                proxyPort,
                token,
                runtime,
                dataDir,
                teamServerJar,
                imageMap,
                capacity,
                autostopIdle,
                rateLimits,
                faultSeed,
                simulatedFirstBoot,
                simulatedStart,
                simulatedResume,
                simulatedHalt);
    }

    public static LocalFlyConfig fromEnv(Map<String, String> env) {
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
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("LOCAL_FLY_AUTOSTOP_IDLE_SECONDS", "300"))),
                !"false".equalsIgnoreCase(env.getOrDefault("LOCAL_FLY_RATE_LIMITS", "true")),
                Long.parseLong(env.getOrDefault("LOCAL_FLY_FAULT_SEED", "42")),
                millis(env, "LOCAL_FLY_SIM_CREATE_MS", 2000),
                millis(env, "LOCAL_FLY_SIM_START_MS", 300),
                millis(env, "LOCAL_FLY_SIM_RESUME_MS", 200),
                millis(env, "LOCAL_FLY_SIM_STOP_MS", 200));
    }

    private static Duration millis(Map<String, String> env, String name, long fallback) {
        return Duration.ofMillis(Long.parseLong(env.getOrDefault(name, Long.toString(fallback))));
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
}
